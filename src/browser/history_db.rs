//! The copy of a key's requests kept in this browser's IndexedDB ("Keep history on this
//! device"), through `indexed_db_futures`. One database per key and API base URL, named by
//! their fingerprints (never the key): a store `requests` (each request as its JSON text, keyed
//! by id) and a store `meta`: when the copy was last in step with the API, its head (the newest
//! rows, written when a sync ends in step and deleted by any other write, so that a returning
//! visit shows its first rows before the whole copy is read), and a mark while a sync has
//! written part of what changed.
//!
//! Every failure is an [`HistoryDbError`] with a sentence for the user: IndexedDB missing
//! (private browsing, policies), a database blocked by another tab, storage full.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

use indexed_db_futures::error::{Error, OpenDbError};
use wasm_bindgen::JsCast;

use hitl_core::contract::Head;
use hitl_core::quota::key_fingerprint;
use hitl_core::{FromJson, HitlRequest, RequestPage};

/// The schema this code writes. A database of another version is rebuilt empty: the copy is
/// loaded again from the API (the dashboard works live meanwhile).
const SCHEMA: u8 = 1;
const REQUESTS: &str = "requests";
const META: &str = "meta";
/// The `meta` record: when the copy was last found in step (ms since the epoch).
const SYNCED_AT: &str = "synced_at";
/// The `meta` record: the head as JSON text, a page of the API's shape.
const HEAD: &str = "head";
/// The `meta` record present while a sync has written part of what changed.
const MIXED: &str = "mixed";

/// What was written to the copy, besides its rows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Written {
    /// Part of a sync: until it ends in step the copy mixes two moments.
    PartOfSync,
    /// A change the API confirmed (a cancel): the copy stays in step.
    Confirmed,
}

/// What [`HistoryDb::read`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Stored {
    pub rows: Vec<HitlRequest>,
    /// When the copy was last found in step (ms since the epoch).
    pub synced_at: Option<f64>,
    /// A sync wrote part of what changed and did not end in step.
    pub mixed: bool,
}

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

    /// Every stored request, and where the copy stands. Records that cannot be read are
    /// skipped (the next sync finds them missing and reads them again).
    pub(crate) async fn read(&self) -> Result<Stored, HistoryDbError> {
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
        let meta = tx.object_store(META).map_err(fail)?;
        let synced_at: Option<f64> = meta
            .get::<f64, _, _>(SYNCED_AT)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let mixed: Option<f64> = meta
            .get::<f64, _, _>(MIXED)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let rows = texts.iter().filter_map(|t| request_of(t)).collect();
        Ok(Stored {
            rows,
            synced_at,
            mixed: mixed.is_some(),
        })
    }

    /// The head and when the copy was in step, if it was at its last write (small records,
    /// read before the whole copy).
    pub(crate) async fn read_head(&self) -> Result<Option<(Head, f64)>, HistoryDbError> {
        let fail = |e| HistoryDbError::from_js("The history could not be read", e);
        let tx = self.db.transaction(META).build().map_err(fail)?;
        let meta = tx.object_store(META).map_err(fail)?;
        let synced_at: Option<f64> = meta
            .get::<f64, _, _>(SYNCED_AT)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let text: Option<String> = meta
            .get::<String, _, _>(HEAD)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        // The head is deleted by every write but the end of a sync in step: when present, it
        // is the copy's top as of `synced_at`.
        Ok(text.and_then(|t| head_of(&t)).zip(synced_at))
    }

    /// Writes `rows` (new or changed requests) in one transaction. Any write but the end of a
    /// sync in step lets the head go; part of a sync marks the copy mixed.
    pub(crate) async fn write(
        &self,
        rows: &[HitlRequest],
        written: Written,
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
        let meta = tx.object_store(META).map_err(fail)?;
        meta.delete(HEAD).primitive().map_err(fail)?;
        if written == Written::PartOfSync {
            meta.put(1.0).with_key(MIXED).primitive().map_err(fail)?;
        }
        tx.commit().await.map_err(fail)
    }

    /// Records that a sync ended in step at `synced_at`, with the copy's `head`.
    pub(crate) async fn in_step(&self, synced_at: f64, head: &Head) -> Result<(), HistoryDbError> {
        let fail = |e| HistoryDbError::from_js("The history could not be saved", e);
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(fail)?;
        let meta = tx.object_store(META).map_err(fail)?;
        meta.put(synced_at)
            .with_key(SYNCED_AT)
            .primitive()
            .map_err(fail)?;
        meta.put(head_text(head))
            .with_key(HEAD)
            .primitive()
            .map_err(fail)?;
        meta.delete(MIXED).primitive().map_err(fail)?;
        tx.commit().await.map_err(fail)
    }

    /// Removes the requests `ids` (a repair found the API has none of them).
    pub(crate) async fn remove(&self, ids: &[String]) -> Result<(), HistoryDbError> {
        let fail = |e| HistoryDbError::from_js("The history could not be saved", e);
        let tx = self
            .db
            .transaction([REQUESTS, META])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(fail)?;
        let store = tx.object_store(REQUESTS).map_err(fail)?;
        for id in ids {
            store.delete(id.clone()).primitive().map_err(fail)?;
        }
        tx.object_store(META)
            .map_err(fail)?
            .delete(HEAD)
            .primitive()
            .map_err(fail)?;
        tx.commit().await.map_err(fail)
    }
}

fn request_of(text: &str) -> Option<HitlRequest> {
    hitl_core::json::parse(text)
        .ok()
        .and_then(|v| HitlRequest::from_json(v).ok())
}

/// The head kept as a page of the API's shape: its reader is the one every page goes through.
fn head_text(head: &Head) -> String {
    let page = RequestPage {
        requests: head.rows.clone(),
        total: head.total,
        ..Default::default()
    };
    serde_json::to_string(&page).unwrap_or_default()
}

/// The head written by [`head_text`]; none if it cannot be read.
fn head_of(text: &str) -> Option<Head> {
    let page = RequestPage::from_json(hitl_core::json::parse(text).ok()?).ok()?;
    Some(Head {
        rows: page.requests,
        total: page.total,
    })
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
