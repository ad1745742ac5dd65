/// # SonicHTTP
///
/// The HTTP request and response as handlers see them, whatever protocol carried them
/// (`Request`, `Response`), and the RFC 9457 problem document (`Problem`). Nothing of the app.
///
/// `FastCGI` fills and writes these; the API layer (`SonicAPI`) turns them into typed service
/// calls and back. If you are writing a service, you are at the wrong layer: services never see
/// HTTP.
public enum SonicHTTPModule {}
