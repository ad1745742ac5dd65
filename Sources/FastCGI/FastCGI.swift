/// # FastCGI
///
/// The libfcgi adapter: accepts FastCGI requests from nginx on a pool of threads, turns each
/// into a `SonicApp.Request`, and writes the `Response` back. Protocol translation only: the
/// behaviour lives in `SonicApp`, where it is tested without FastCGI.
///
/// Import it from the `sonic-fcgi` executable and nowhere else.
public enum FastCGIModule {}
