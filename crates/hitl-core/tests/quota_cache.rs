//! Quota bookkeeping and the answer cache, with time passed in.

use hitl_core::cache::TtlCache;
use hitl_core::quota::{key_fingerprint, Quota, QuotaSource, RateLimitHeaders, WINDOW_SECS};

#[test]
fn local_count_is_a_sliding_hour() {
    let mut q = Quota::default();
    for t in 0..10 {
        q.record_call(1_000 + t);
    }
    let v = q.view(1_100);
    assert_eq!(v.source, QuotaSource::LocalCount);
    assert_eq!(v.limit, 100);
    assert_eq!(v.remaining, 90);
    assert_eq!(v.reset_at, Some(1_000 + WINDOW_SECS));
    assert!(!v.paused);
    // An hour after the first five calls, they no longer count.
    let v = q.view(1_000 + WINDOW_SECS + 4);
    assert_eq!(v.remaining, 95);
    assert_eq!(q.view(1_000 + 2 * WINDOW_SECS).remaining, 100);
}

#[test]
fn headers_win_over_the_local_count_until_they_expire() {
    let mut q = Quota::default();
    q.record_call(100);
    q.record_headers(
        RateLimitHeaders {
            limit: 100,
            remaining: 37,
            reset_at: 2_000,
        },
        100,
    );
    let v = q.view(150);
    assert_eq!(v.source, QuotaSource::Headers);
    assert_eq!(v.remaining, 37);
    assert_eq!(v.reset_at, Some(2_000));
    // After the reset the headers are stale: back to the local log, of the new window only
    // (the call at 100 was in the window that reset).
    let v = q.view(2_001);
    assert_eq!(v.source, QuotaSource::LocalCount);
    assert_eq!(v.remaining, 100);
}

#[test]
fn after_the_headers_reset_their_limit_stays_and_the_new_window_starts_empty() {
    // A key limited to 6 calls, 4 of them spent; the window resets at 1_030.
    let mut q = Quota::default();
    for t in 1_000..1_004 {
        q.record_call(t);
    }
    q.record_headers(
        RateLimitHeaders {
            limit: 6,
            remaining: 2,
            reset_at: 1_030,
        },
        1_004,
    );
    assert_eq!((q.view(1_010).limit, q.view(1_010).remaining), (6, 2));
    // Past the reset: 6 of 6, not "96 of 100".
    let v = q.view(1_032);
    assert_eq!(v.source, QuotaSource::LocalCount);
    assert_eq!((v.limit, v.remaining, v.paused), (6, 6, false));
    // Calls from here count against the new window.
    q.record_call(1_033);
    let v = q.view(1_034);
    assert_eq!((v.limit, v.remaining), (6, 5));
    assert_eq!(v.reset_at, Some(1_033 + WINDOW_SECS));
}

#[test]
fn headers_with_nothing_remaining_pause_until_reset() {
    let mut q = Quota::default();
    q.record_headers(
        RateLimitHeaders {
            limit: 100,
            remaining: 0,
            reset_at: 500,
        },
        100,
    );
    assert_eq!(q.paused(100), Some(500));
    assert_eq!(q.paused(500), None);
}

#[test]
fn a_429_pauses_until_the_best_known_reset() {
    let mut q = Quota::default();
    q.record_exhausted(Some(900), None, 100);
    assert_eq!(q.paused(100), Some(900));
    let v = q.view(100);
    assert!(v.paused);
    assert_eq!(v.remaining, 0);
    assert_eq!(q.paused(901), None, "recovers by itself");

    // No header: inferred from the oldest logged call.
    let mut q = Quota::default();
    q.record_call(50);
    q.record_call(60);
    q.record_exhausted(None, None, 100);
    assert_eq!(q.paused(100), Some(50 + WINDOW_SECS));

    // Nothing known: a bounded wait, never forever.
    let mut q = Quota::default();
    q.record_exhausted(None, None, 100);
    let until = q.paused(100).unwrap();
    assert!(until > 100 && until <= 100 + 600);
}

#[test]
fn without_headers_a_429_s_stated_limit_replaces_the_documented_one() {
    // A key limited to 5 calls an hour, its headers not exposed to the browser.
    let mut q = Quota::default();
    for t in [10, 20, 30] {
        q.record_call(t);
    }
    assert_eq!(
        (q.view(40).limit, q.view(40).remaining),
        (100, 97),
        "before: the documented 100"
    );
    q.record_call(40);
    q.record_exhausted(None, Some(5), 40);
    let v = q.view(41);
    assert_eq!((v.limit, v.remaining, v.paused), (5, 0, true));
    // After the reset the count is out of 5, not 100.
    let later = 10 + WINDOW_SECS + 100;
    q.record_call(later);
    let v = q.view(later);
    assert_eq!((v.limit, v.remaining, v.paused), (5, 4, false));
    // A body without a figure (or 0) keeps what was learned.
    q.record_exhausted(None, Some(0), later);
    assert_eq!(q.view(later).limit, 5);
}

#[test]
fn rate_limit_headers_parse_only_when_complete() {
    assert_eq!(
        RateLimitHeaders::parse(Some("100"), Some(" 7 "), Some("1700000000")),
        Some(RateLimitHeaders {
            limit: 100,
            remaining: 7,
            reset_at: 1_700_000_000
        })
    );
    assert_eq!(RateLimitHeaders::parse(Some("100"), None, Some("1")), None);
    assert_eq!(
        RateLimitHeaders::parse(Some("x"), Some("1"), Some("1")),
        None
    );
}

#[test]
fn fingerprints_are_stable_and_do_not_contain_the_key() {
    let a = key_fingerprint("sk_live_abc123");
    assert_eq!(a, key_fingerprint("sk_live_abc123"));
    assert_ne!(a, key_fingerprint("sk_live_abc124"));
    assert_eq!(a.len(), 16);
    assert!(!a.contains("abc123"));
}

#[test]
fn cache_expires_and_evicts_the_oldest() {
    let mut c: TtlCache<u32> = TtlCache::new(1_000.0, 2);
    c.insert("a".into(), 1, 0.0);
    assert_eq!(c.get("a", 999.0), Some((0.0, 1)));
    assert_eq!(c.get("a", 1_000.0), None, "expired at the TTL");
    c.insert("b".into(), 2, 10.0);
    c.insert("c".into(), 3, 20.0);
    c.insert("d".into(), 4, 30.0);
    assert_eq!(c.len(), 2);
    assert_eq!(c.get("b", 40.0), None, "oldest evicted");
    assert_eq!(c.get("d", 40.0), Some((30.0, 4)));
    c.remove_where(|k| k == "c");
    assert_eq!(c.get("c", 40.0), None);
    c.clear();
    assert!(c.is_empty());
}

#[test]
fn the_stored_quota_record_reads_back_as_written_and_a_damaged_one_is_refused() {
    use hitl_core::FromJson;
    let quota = Quota {
        calls: vec![1_700_000_000, 1_700_000_060],
        headers: Some(RateLimitHeaders {
            limit: 100,
            remaining: 98,
            reset_at: 1_700_003_600,
        }),
        paused_until: Some(1_700_000_100),
        limit: Some(5),
    };
    let stored = serde_json::to_string(&quota).unwrap();
    assert_eq!(serde_json::from_str::<Quota>(&stored).unwrap(), quota);
    let empty = serde_json::to_string(&Quota::default()).unwrap();
    assert_eq!(
        serde_json::from_str::<Quota>(&empty).unwrap(),
        Quota::default()
    );
    for damaged in [
        serde_json::json!({"calls": "x"}),
        serde_json::json!({"calls": [1.5]}),
        serde_json::json!({"calls": [], "headers": {"limit": -1, "remaining": 0, "reset_at": 0}}),
        serde_json::json!([1]),
    ] {
        assert!(Quota::from_json(damaged.clone()).is_err(), "{damaged}");
    }
}

#[test]
fn answers_arriving_out_of_order_never_raise_the_count_left_in_a_window() {
    let h = |remaining, reset_at| RateLimitHeaders {
        limit: 5,
        remaining,
        reset_at,
    };
    let mut q = Quota::default();
    // Four calls sent together; the answer to the last one sent arrives before the third's.
    for (remaining, at) in [(4, 10), (3, 11), (1, 12), (2, 13)] {
        q.record_call(at);
        q.record_headers(h(remaining, 100), at);
    }
    assert_eq!(q.view(14).remaining, 1);
    // A new window (another reset time) starts from what its first answer says.
    q.record_headers(h(4, 200), 101);
    assert_eq!(q.view(102).remaining, 4);
    // Another limit for the key (the server changed it): its figures are taken as they come.
    q.record_headers(
        RateLimitHeaders {
            limit: 50,
            remaining: 45,
            reset_at: 200,
        },
        103,
    );
    assert_eq!((q.view(104).limit, q.view(104).remaining), (50, 45));
}
