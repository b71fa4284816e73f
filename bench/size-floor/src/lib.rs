//! The size floor (`scripts/size-floor.sh`, not part of the app or of `make test`): what the
//! app's non-UI part weighs on its own. It decodes a page and a detail with the app's decoder,
//! generates the demo data, lists, sorts, formats, parses Markdown, computes the statistics and
//! writes the CSV — the hitl-core paths the app ships — and renders the rows as a plain
//! web-sys table, with no UI framework. Built with the app's release profile and wasm-opt -Oz,
//! its gzip size is the least any UI on top of this core can weigh.
use hitl_core::*;
use wasm_bindgen::prelude::*;

fn cell(doc: &web_sys::Document, tr: &web_sys::Element, text: &str) {
    let td = doc.create_element("td").unwrap();
    td.set_text_content(Some(text));
    tr.append_child(&td).unwrap();
}

#[wasm_bindgen]
pub fn run(status: u16, body: &str, detail: &str, now_ms: f64, col: u8) -> String {
    let now = chrono::DateTime::from_timestamp_millis(now_ms as i64).unwrap_or_default();
    let doc = web_sys::window().unwrap().document().unwrap();
    let table = doc.create_element("table").unwrap();
    let mut out = String::new();
    let page: Result<RequestPage, ApiError> = decode_response(status, body, None);
    let d: Result<RequestDetail, ApiError> = decode_response(status, detail, None);
    if let Ok(d) = &d {
        out.push_str(&d.request.id);
    }
    match page {
        Ok(p) => {
            let ds = demo::Dataset::generate(7, 240, now);
            let q = RequestQuery::default();
            let listed = contract::list(&ds.requests, &q);
            let rows = if p.requests.is_empty() {
                listed.requests
            } else {
                p.requests
            };
            let cols = sorting::Column::ALL;
            let c = cols[col as usize % cols.len()];
            let perm = sorting::sort_permutation(&rows, c, sorting::Direction::Asc);
            for &i in &perm {
                let r = &rows[i as usize];
                let tr = doc.create_element("tr").unwrap();
                cell(
                    &doc,
                    &tr,
                    &r.created_at
                        .map(|t| format::relative(t, now))
                        .unwrap_or_default(),
                );
                cell(&doc, &tr, r.status.label());
                cell(&doc, &tr, r.priority.label());
                cell(&doc, &tr, &format::one_line(&r.request_text, 90));
                let v =
                    response::ResponseValue::interpret(&r.response_type, r.response_data.as_ref());
                cell(&doc, &tr, &v.display());
                cell(
                    &doc,
                    &tr,
                    &r.response_time_seconds
                        .map(format::format_duration)
                        .unwrap_or_default(),
                );
                let md = markdown::parse(&r.request_text);
                cell(&doc, &tr, &markdown::plain_text(&md));
                table.append_child(&tr).unwrap();
            }
            if let Some(s) = stats::ResponseTimeStats::compute(&rows) {
                out.push_str(&s.average_formatted());
                std::hint::black_box(s.histogram_bins());
            }
            std::hint::black_box((
                stats::Outcomes::compute(&rows),
                stats::PriorityDistribution::compute(&rows),
            ));
            out.push_str(&csv::to_csv(&rows, csv::CsvOptions { bom: col > 3 }));
            std::hint::black_box(stats::bars(&[1.0, 2.0], 100.0, 50.0));
        }
        Err(e) => out.push_str(&e.title()),
    }
    doc.body().unwrap().append_child(&table).unwrap();
    out
}
