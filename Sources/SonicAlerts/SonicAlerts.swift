// SonicAlerts: the alerts people set on their address, carried out. `AlertEngine` goes through
// the database's per-address change log (and premium end dates) and records each alert that
// goes off; `WebhookDeliverer` POSTs those with a webhook, signed, retried with backoff, to
// destinations checked by `WebhookDestination` (public addresses only, connected to the
// address that was checked). sonic-sync runs both (`AlertRunner`): one process writes them.
// The API that makes and lists alerts is in SonicApp/SonicAPI; it uses `WebhookDestination` to
// check a URL when an alert is made.
