//! Loop names and reviewer emails, from `GET /v1/api/loops`.

use std::collections::HashMap;
use std::sync::Arc;

use hitl_core::{ApiError, LoopList};
use leptos::prelude::*;

use super::connection::Connection;

/// Names for ids, where the loops endpoint answered: loop id → name, user id → email.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Names {
    pub loops: HashMap<String, String>,
    pub users: HashMap<String, String>,
}

impl Names {
    fn from_loops(list: &LoopList) -> Self {
        let mut names = Names::default();
        for lp in &list.loops {
            if !lp.name.is_empty() {
                names.loops.insert(lp.id.clone(), lp.name.clone());
            }
            for m in &lp.members {
                if !m.email.is_empty() {
                    names.users.insert(m.user_id.clone(), m.email.clone());
                }
            }
        }
        names
    }
}

/// The loops of the account, for names instead of raw ids. Optional and lazy: on the live API
/// it costs one call, so it is fetched only once the user shows interest (the Loop ID field,
/// the detail panel); on demo data at once. When it fails, raw ids are shown and all else works.
#[derive(Clone, Copy)]
pub(crate) struct Loops {
    wanted: RwSignal<bool>,
    pub list: LocalResource<Option<Result<Arc<LoopList>, ApiError>>>,
    pub names: Memo<Arc<Names>>,
}

impl Loops {
    /// The lazy loops resource for the connected source.
    pub(crate) fn new(conn: Connection) -> Self {
        let wanted = RwSignal::new(false);
        let list = LocalResource::new(move || {
            let source = conn.source.get();
            let wanted = wanted.get() || source.is_demo();
            async move {
                if wanted {
                    Some(source.loops().await)
                } else {
                    None
                }
            }
        });
        let names = Memo::new(move |_| {
            list.with(|l| match l {
                Some(Some(Ok(list))) => Arc::new(Names::from_loops(list)),
                _ => Arc::new(Names::default()),
            })
        });
        Loops {
            wanted,
            list,
            names,
        }
    }

    /// Asks for the loops (once; later calls are free).
    pub(crate) fn want(&self) {
        if !self.wanted.get_untracked() {
            self.wanted.set(true);
        }
    }

    /// The id of the one loop named `typed`, once the loops are loaded (untracked).
    pub(crate) fn id_named(&self, typed: &str) -> Option<String> {
        self.list.with_untracked(|l| match l {
            Some(Some(Ok(list))) => list.id_named(typed).map(str::to_owned),
            _ => None,
        })
    }

    /// Loops for a picker: (id, name), empty until loaded (tracked).
    pub(crate) fn options(&self) -> Vec<(String, String)> {
        self.list.with(|l| match l {
            Some(Some(Ok(list))) => list
                .loops
                .iter()
                .map(|lp| (lp.id.clone(), lp.name.clone()))
                .collect(),
            _ => Vec::new(),
        })
    }
}
