//! `TestApp`: a fresh database cloned from a migrated template, the app on
//! port 0, and a cookie-keeping client ([`Browser`]).

use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock};

use mockexam::app::App;
use mockexam::clock::Clock;
use mockexam::config::Config;
use mockexam::db::{self, Cluster, quote_ident};
use mockexam::web;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, PgPool};

use super::http::Browser;

/// The PostgreSQL server the tests use: the one `DATABASE_URL` names, or an
/// embedded cluster made for this test run and removed at its end.
struct TestServer {
    admin: PgConnectOptions,
    template: String,
}

static SERVER: OnceLock<TestServer> = OnceLock::new();
static CLUSTER: Mutex<Option<Cluster>> = Mutex::new(None);
static CLUSTER_DIR: OnceLock<std::path::PathBuf> = OnceLock::new();

extern "C" fn stop_cluster_at_exit() {
    if let Ok(mut guard) = CLUSTER.lock()
        && let Some(mut cluster) = guard.take()
    {
        let _ = cluster.stop();
    }
    if let Some(dir) = CLUSTER_DIR.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(future)
}

fn server() -> &'static TestServer {
    SERVER.get_or_init(|| {
        // Set up on a thread of its own: the caller is inside a runtime.
        std::thread::spawn(|| {
            let admin = match std::env::var("DATABASE_URL") {
                Ok(url) => PgConnectOptions::from_str(&url).expect("DATABASE_URL parses").database("postgres"),
                Err(_) => {
                    let dir =
                        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pg-{}", std::process::id()));
                    let _ = std::fs::remove_dir_all(&dir);
                    let cluster = Cluster::start(&dir).expect("the embedded test cluster starts");
                    let options = cluster.connect_options("postgres");
                    CLUSTER_DIR.set(dir).expect("set once");
                    *CLUSTER.lock().expect("not poisoned") = Some(cluster);
                    // SAFETY: registers a plain function with no arguments.
                    unsafe { libc::atexit(stop_cluster_at_exit) };
                    options
                }
            };
            let template = format!("mockexam_template_{}", std::process::id());
            block_on(async {
                let mut conn = PgConnection::connect_with(&admin).await.expect("connect to the test server");
                sqlx::query(&format!("DROP DATABASE IF EXISTS {}", quote_ident(&template)))
                    .execute(&mut conn)
                    .await
                    .expect("drop an old template");
                sqlx::query(&format!("CREATE DATABASE {}", quote_ident(&template)))
                    .execute(&mut conn)
                    .await
                    .expect("create the template");
                let mut t = PgConnection::connect_with(&admin.clone().database(&template)).await.expect("connect");
                db::MIGRATOR.run(&mut t).await.expect("migrations run");
                t.close().await.expect("close");
                // The bundled exam, loaded once into the template every test clones.
                let pool = db::pool(admin.clone().database(&template), 1).await.expect("pool");
                let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
                mockexam::load_content(&pool, &content, time::OffsetDateTime::now_utc()).await.expect("content loads");
                pool.close().await;
            });
            TestServer { admin, template }
        })
        .join()
        .expect("test server setup")
    })
}

pub struct TestApp {
    pub db: PgPool,
    pub clock: Clock,
    /// The first browser; [`TestApp::new_browser`] makes more.
    pub browser: Browser,
    /// Where `/metrics` is served, when the test asked for it
    /// ([`TestApp::spawn_with_metrics`]).
    pub metrics_addr: Option<std::net::SocketAddr>,
    database: Option<String>,
    options: PgConnectOptions,
    /// Stop the server, and the metrics listener if there is one.
    shutdown: Vec<tokio::sync::oneshot::Sender<()>>,
}

impl std::ops::Deref for TestApp {
    type Target = Browser;

    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the app with `/metrics` served on an address of its own, as
    /// `MOCKEXAM_METRICS_ADDR` asks.
    pub async fn spawn_with_metrics() -> TestApp {
        Self::spawn_with(|c| c.metrics_addr = Some("127.0.0.1:0".parse().expect("an address"))).await
    }

    /// Starts the app with settings changed by `configure`.
    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        let server = server();
        let database = format!("test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect_with(&server.admin).await.expect("connect");
        sqlx::query(&format!("CREATE DATABASE {} TEMPLATE {}", quote_ident(&database), quote_ident(&server.template)))
            .execute(&mut admin)
            .await
            .expect("clone the template");
        admin.close().await.expect("close");
        let options = server.admin.clone().database(&database);
        Self::start(options, Some(database), configure).await
    }

    /// Starts the app on a database of the caller's, migrating it first;
    /// the caller removes it.
    pub async fn spawn_on(options: PgConnectOptions) -> TestApp {
        Self::spawn_on_with(options, |_| {}).await
    }

    /// [`TestApp::spawn_on`] with settings changed by `configure`.
    pub async fn spawn_on_with(options: PgConnectOptions, configure: impl FnOnce(&mut Config)) -> TestApp {
        let pool = db::pool(options.clone(), 2).await.expect("pool");
        db::MIGRATOR.run(&pool).await.expect("migrations");
        pool.close().await;
        Self::start(options, None, configure).await
    }

    /// A second server on this app's database, as another instance behind
    /// a load balancer would be: its own port, pool, caches and clock. The
    /// database stays this app's to remove.
    pub async fn another_instance(&self) -> TestApp {
        Self::start(self.options.clone(), None, |_| {}).await
    }

    /// A connection of the test's own to the app's database, outside the
    /// app's pool.
    pub async fn connect(&self) -> PgConnection {
        PgConnection::connect_with(&self.options).await.expect("connect to the test database")
    }

    async fn start(
        options: PgConnectOptions,
        database: Option<String>,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        // Tests keep a smaller pool than a server's default unless they ask.
        let mut config = Config { db_pool_size: 8, ..Config::default() };
        configure(&mut config);
        let pool = db::pool(options.clone(), config.db_pool_size).await.expect("pool");
        let config = Arc::new(config);
        let clock = Clock::default();
        let state = App::new(pool.clone(), config.clone(), clock.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (metrics_tx, metrics_rx) = tokio::sync::oneshot::channel::<()>();
        // The metrics listener starts as `mockexam serve` starts it.
        let metrics_addr = web::metrics::listen(&state, async {
            let _ = metrics_rx.await;
        })
        .await
        .expect("the metrics address binds");
        tokio::spawn(web::serve(listener, state, async {
            let _ = rx.await;
        }));
        TestApp {
            db: pool,
            clock,
            browser: Browser::new(addr),
            metrics_addr,
            database,
            options,
            shutdown: vec![tx, metrics_tx],
        }
    }

    /// Another browser: same server, its own cookies.
    pub fn new_browser(&self) -> Browser {
        Browser::new(self.browser.addr)
    }

    /// Another browser, logged in as a new account of `role` ("instructor"
    /// or "admin"): registered as anyone is, then given the role, as
    /// `mockexam user create --role …` would make it.
    pub async fn new_browser_as(&self, role: &str, email: &str) -> Browser {
        let browser = self.new_browser();
        let response = browser.register(email, "Ines Instructor", "correct horse battery").await;
        assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER, "registration redirects");
        self.set_role(email, role).await;
        browser
    }

    /// Gives the account `email` a role, as `mockexam user create --role`
    /// or an admin's accounts page would.
    pub async fn set_role(&self, email: &str, role: &str) {
        let done = sqlx::query("UPDATE users SET role = $1 WHERE email = $2")
            .bind(role)
            .bind(email)
            .execute(&self.db)
            .await
            .expect("the role is set");
        assert_eq!(done.rows_affected(), 1, "{email} has an account");
    }

    /// Makes the account `email` the owner of exam `slug`, as if they had
    /// created it: only its owner and the admins may change an exam.
    pub async fn give_exam(&self, slug: &str, email: &str) {
        let done = sqlx::query("UPDATE exams SET owner_id = (SELECT id FROM users WHERE email = $2) WHERE slug = $1")
            .bind(slug)
            .bind(email)
            .execute(&self.db)
            .await
            .expect("the owner is set");
        assert_eq!(done.rows_affected(), 1, "exam {slug} exists");
    }

    /// A URL for this test's database, for running the CLI against it.
    pub fn database_url(&self) -> String {
        let o = &self.options;
        let db = o.get_database().unwrap_or("postgres");
        match o.get_socket() {
            Some(dir) => format!("postgres://{}@localhost/{db}?host={}", o.get_username(), dir.display()),
            None => format!("postgres://{}@{}:{}/{db}", o.get_username(), o.get_host(), o.get_port()),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        for tx in self.shutdown.drain(..) {
            let _ = tx.send(());
        }
        let Some(database) = self.database.take() else { return };
        let admin = server().admin.clone();
        // Dropped inside the test's runtime, which cannot block on itself.
        let _ = std::thread::spawn(move || {
            block_on(async {
                if let Ok(mut conn) = PgConnection::connect_with(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&database)))
                        .execute(&mut conn)
                        .await;
                }
            })
        })
        .join();
    }
}
