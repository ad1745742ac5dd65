/// # SonicAPI
///
/// The HTTP layer over the services: the route table (declared once: method, path pattern,
/// metric name, handler), admission (rate limits, cross-site checks, the session cookie),
/// decoding requests into typed inputs, encoding the services' results as JSON, and the one
/// mapping from `AppError` to an RFC 9457 problem document.
///
/// It translates and nothing else: what a request means is the services' (`SonicApp`), how it
/// travels is the server's (`FastCGI`). If you are adding a capability, write the service first,
/// then one line in `Routes.swift` and its decoding here.
public enum SonicAPIModule {}
