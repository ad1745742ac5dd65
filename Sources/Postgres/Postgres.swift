/// # Postgres
///
/// A PostgreSQL client over libpq's non-blocking API: one thread (`PostgresLoop`, epoll) drives
/// every connection, and callers `await` their queries, so no thread is held while the database
/// answers. `PostgresPool` bounds the connections a process opens and sheds work beyond a short
/// queue; `PostgresListener` delivers `LISTEN/NOTIFY`; `PostgresAdvisoryLock` holds a session lock.
///
/// Import it if you are writing a repository over PostgreSQL (`SonicStore`). Services never see
/// it: they see the repository protocols.
public enum PostgresModule {}
