//! The copy of a key's requests kept in this browser's IndexedDB ("Keep history on this
//! device"), through `indexed_db_futures`. One database per key and API base URL, named by
//! their fingerprints (never the key): a store `requests` (each request as its JSON text, keyed
//! by id) and a store `meta` (when the copy was last in step with the API).
//!
//! Every failure is an [`HistoryDbError`] with a sentence for the user: IndexedDB missing
//! (private browsing, policies), a database blocked by another tab, storage full.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

use indexed_db_futures::error::{Error, OpenDbError};
use wasm_bindgen::JsCast;

use hitl_core::quota::key_fingerprint;
use hitl_core::{FromJson, HitlRequest};

/// The schema this code writes. A database of another version is rebuilt empty: the copy is
/// loaded again from the API (the dashboard works live meanwhile).
const SCHEMA: u8 = 1;
const REQUESTS: &str = "requests";
const META: &str = "meta";
/// The `meta` record: when the copy was last found in step (ms since the epoch).
const SYNCED_AT: &str = "synced_at";

/// Why the copy cannot be read or written, said for the user.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HistoryDbError(pub String);

impl HistoryDbError {
    /// `what` failed because of `e`. The crate's errors are read, not printed: their `Display`
    /// would link core's float printing (one of them holds a float).
    fn from_js(what: &str, e: Error) -> Self {
        HistoryDbError(format!("{what}: {}", describe(&e)))
    }

    fn from_open(what: &str, e: OpenDbError) -> Self {
        let why = match e {
            OpenDbError::Base(e) => describe(&e),
            _ => "this browser offers no IndexedDB here (private browsing, or a policy)".to_owned(),
        };
        HistoryDbError(format!("{what}: {why}"))
    }
}

fn describe(e: &Error) -> String {
    match e {
        Error::DomException(d) => {
            let js: &wasm_bindgen::JsValue = d.as_ref();
            let name = js
                .dyn_ref::<web_sys::DomException>()
                .map(web_sys::DomException::name)
                .unwrap_or_default();
            match name.as_str() {
                "QuotaExceededError" => "this browser's storage for the site is full".to_owned(),
                "InvalidStateError" | "VersionError" => {
                    "the database is in use by another version of this page; reload it".to_owned()
                }
                _ => format!("{name}: {}", d.message()),
            }
        }
        _ => "a stored record could not be read or written".to_owned(),
    }
}

/// The localStorage entry that says the history of database `name` is kept on this device.
pub(crate) fn kept_entry(name: &str) -> String {
    format!("hitl.history.{name}")
}

/// The database name for a key and an API base URL: fingerprints only.
pub(crate) fn db_name(key: &str, base: &str) -> String {
    format!(
        "hitl-history-{}-{}",
        key_fingerprint(key.trim()),
        key_fingerprint(base)
    )
}

/// An open copy.
pub(crate) struct HistoryDb {
    db: Database,
}

impl HistoryDb {
    /// Opens (or creates) the copy named `name`. A database written by another schema version
    /// is emptied and set up again.
    pub(crate) async fn open(name: &str) -> Result<HistoryDb, HistoryDbError> {
        let opened = Database::open(name)
            .with_version(SCHEMA)
            .with_on_blocked(|_| Ok(()))
            .with_on_upgrade_needed(|_, db| {
                for store in [REQUESTS, META] {
                    let _ = db.delete_object_store(store);
                }
                db.create_object_store(REQUESTS).build()?;
                db.create_object_store(META).build()?;
                Ok(())
            })
            .await
            .map_err(|e| HistoryDbError::from_open("The history could not be opened", e))?;
        Ok(HistoryDb { db: opened })
    }

    /// Every stored request, and when the copy was last in step (ms since the epoch). Records
    /// that cannot be read are skipped (the next sync finds them missing and reads them again).
    pub(crate) async fn read(&self) -> Result<(Vec<HitlRequest>, Option<f64>), HistoryDbError> {
        let fail = |e| HistoryDbError::from_js("The history could not be read", e);
        let tx = self
            .db
            .transaction([REQUESTS, META])
            .build()
            .map_err(fail)?;
        let texts: Vec<String> = tx
            .object_store(REQUESTS)
            .map_err(fail)?
            .get_all::<String>()
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?
            .filter_map(Result::ok)
            .collect();
        let synced_at: Option<f64> = tx
            .object_store(META)
            .map_err(fail)?
            .get::<f64, _, _>(SYNCED_AT)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let rows = texts
            .iter()
            .filter_map(|t| {
                hitl_core::json::parse(t)
                    .ok()
                    .and_then(|v| HitlRequest::from_json(v).ok())
            })
            .collect();
        Ok((rows, synced_at))
    }

    /// Writes `rows` (new or changed requests) in one transaction, and `synced_at` when given.
    pub(crate) async fn write(
        &self,
        rows: &[HitlRequest],
        synced_at: Option<f64>,
    ) -> Result<(), HistoryDbError> {
        let fail = |e| HistoryDbError::from_js("The history could not be saved", e);
        let tx = self
            .db
            .transaction([REQUESTS, META])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(fail)?;
        let store = tx.object_store(REQUESTS).map_err(fail)?;
        for r in rows {
            let text = serde_json::to_string(r).unwrap_or_default();
            store
                .put(text)
                .with_key(r.id.clone())
                .primitive()
                .map_err(fail)?;
        }
        if let Some(at) = synced_at {
            tx.object_store(META)
                .map_err(fail)?
                .put(at)
                .with_key(SYNCED_AT)
                .primitive()
                .map_err(fail)?;
        }
        tx.commit().await.map_err(fail)
    }

    /// Removes the requests `ids` (a repair found the API has none of them).
    pub(crate) async fn remove(&self, ids: &[String]) -> Result<(), HistoryDbError> {
        let fail = |e| HistoryDbError::from_js("The history could not be saved", e);
        let tx = self
            .db
            .transaction(REQUESTS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(fail)?;
        let store = tx.object_store(REQUESTS).map_err(fail)?;
        for id in ids {
            store.delete(id.clone()).primitive().map_err(fail)?;
        }
        tx.commit().await.map_err(fail)
    }
}

impl Drop for HistoryDb {
    /// Closed when the last handle goes: an open connection would block deleting the copy.
    fn drop(&mut self) {
        self.db.clone().close();
    }
}

/// Deletes the copy named `name` ("Forget this device's history", Forget key).
pub(crate) async fn forget(name: &str) -> Result<(), HistoryDbError> {
    const WHAT: &str = "The history could not be deleted";
    Database::delete_by_name(name)
        .map_err(|e| HistoryDbError::from_open(WHAT, e))?
        .await
        .map_err(|e| HistoryDbError::from_js(WHAT, e))
}
