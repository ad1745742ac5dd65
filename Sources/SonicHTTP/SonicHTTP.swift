/// # SonicHTTP
///
/// The HTTP request and response as handlers see them, whatever protocol carried them
/// (`Request`, `Response`, on apple/swift-http-types' `HTTPRequest.Method`, `HTTPFields` and
/// `HTTPResponse.Status`, which it re-exports as Hummingbird does), and the RFC 9457 problem
/// document (`Problem`). Nothing of the app.
///
/// `FastCGI` fills and writes these; the API layer (`SonicAPI`) turns them into typed service
/// calls and back. If you are writing a service, you are at the wrong layer: services never see
/// HTTP.
@_exported import HTTPTypes

public enum SonicHTTPModule {}
