//! Which source the dashboard reads (the demo data or the live API with a key), and the
//! settings that chose it.

use hitl_core::key::{key_problem, normalize_base};
use leptos::prelude::*;

use crate::api::{ApiClient, DemoSource, HistorySource, QuotaStore, Source};
use crate::browser::history_db::{db_name, kept_entry};
use crate::browser::{storage_get, storage_remove, storage_set};

/// localStorage entry of the remembered key (only when the user ticks "Remember").
const KEY_ENTRY: &str = "hitl.api_key";
/// localStorage entry of the API base URL (not a secret).
const BASE_ENTRY: &str = "hitl.base_url";

/// Which source the dashboard reads, and the settings that chose it.
#[derive(Clone, Copy)]
pub(crate) struct Connection {
    pub source: RwSignal<Source, LocalStorage>,
    /// The quota record of the connected key; `None` in demo mode.
    pub quota: RwSignal<Option<QuotaStore>>,
    pub base_url: RwSignal<String>,
    /// What was changed in the base URL typed (a trailing `/v1`), to say so.
    pub base_note: RwSignal<Option<String>>,
    /// True when the key is kept in localStorage.
    pub remembered: RwSignal<bool>,
    /// Bumped at every change of source, so data of the previous source is never shown as
    /// the current one's.
    pub generation: RwSignal<u64>,
    /// The name of the history database of the connected key and base URL (fingerprints only);
    /// `None` on demo data.
    pub history_name: RwSignal<Option<String>>,
}

impl Connection {
    /// Starts live when a key was remembered on this device, otherwise on demo data.
    pub(crate) fn restore() -> Self {
        let base = normalize_base(&storage_get(BASE_ENTRY).unwrap_or_default()).url;
        // A remembered key that cannot be sent (stored before keys were checked) is forgotten:
        // the dashboard starts on demo data, and the form says what is wrong when it is entered.
        let key = storage_get(KEY_ENTRY).filter(|k| key_problem(k).is_none());
        if key.is_none() {
            storage_remove(KEY_ENTRY);
        }
        let conn = Connection {
            source: RwSignal::new_local(Source::Demo(DemoSource::default())),
            quota: RwSignal::new(None),
            base_url: RwSignal::new(base.clone()),
            base_note: RwSignal::new(None),
            remembered: RwSignal::new(key.is_some()),
            generation: RwSignal::new(0),
            history_name: RwSignal::new(None),
        };
        if let Some(key) = key {
            conn.connect(&base, &key, true);
        }
        conn
    }

    /// Switches to the live API with `key`. The key is stored only when `remember` is set.
    pub(crate) fn connect(&self, base: &str, key: &str, remember: bool) {
        let base = normalize_base(base);
        self.base_note.set(base.note);
        let base = base.url.as_str();
        storage_set(BASE_ENTRY, base);
        if remember {
            storage_set(KEY_ENTRY, key.trim());
        } else {
            storage_remove(KEY_ENTRY);
        }
        let quota = QuotaStore::for_key(key.trim());
        self.base_url.set(base.to_owned());
        self.remembered.set(remember);
        self.quota.set(Some(quota));
        self.generation.update(|g| *g += 1);
        let client = ApiClient::new(base, key, quota);
        // A key whose history is kept here starts from its copy: a returning visit's views are
        // answered from it while it syncs.
        let name = db_name(key, base);
        let source = if storage_get(&kept_entry(&name)).is_some() {
            Source::History(HistorySource::open(client, name.clone()))
        } else {
            Source::Live(client)
        };
        self.history_name.set(Some(name));
        self.source.set(source);
    }

    /// Switches to demo data; forgets a remembered key when asked.
    pub(crate) fn use_demo(&self, forget_key: bool) {
        if forget_key {
            storage_remove(KEY_ENTRY);
            self.remembered.set(false);
            // The key's history goes with it.
            if let Some(name) = self.history_name.get_untracked() {
                storage_remove(&kept_entry(&name));
                leptos::task::spawn_local(async move {
                    let _ = crate::browser::history_db::forget(&name).await;
                });
            }
        }
        self.quota.set(None);
        self.history_name.set(None);
        self.generation.update(|g| *g += 1);
        self.source.set(Source::Demo(DemoSource::default()));
    }

    /// True while on demo data.
    pub(crate) fn is_demo(&self) -> bool {
        self.source.with(Source::is_demo)
    }
}
