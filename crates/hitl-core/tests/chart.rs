//! Chart geometry: axis ticks, bars and stacked segments.

use hitl_core::chart::*;

#[test]
fn axis_ticks_use_nice_steps() {
    assert_eq!(axis_ticks(0.0), [0.0, 1.0]);
    assert_eq!(axis_ticks(-3.0), [0.0, 1.0]);
    assert_eq!(axis_ticks(f64::NAN), [0.0, 1.0]);
    assert_eq!(axis_ticks(7.0), [0.0, 2.0, 4.0, 6.0, 8.0]);
    assert_eq!(axis_ticks(10.0), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    assert_eq!(axis_ticks(100.0), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    assert_eq!(axis_ticks(1234.0), [0.0, 500.0, 1000.0, 1500.0]);
    assert_eq!(axis_ticks(0.3), [0.0, 0.1, 0.2, 0.3]);
    assert_eq!(axis_ticks(1.0), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    assert_eq!(axis_ticks(30.0), [0.0, 10.0, 20.0, 30.0]);
    assert_eq!(count_axis_ticks(3.0), [0.0, 1.0, 2.0, 3.0]);
    assert_eq!(count_axis_ticks(0.0), [0.0, 1.0]);
    assert_eq!(count_axis_ticks(7.0), [0.0, 2.0, 4.0, 6.0, 8.0]);
    for max in [1.0, 3.7, 9.99, 55.0, 101.0, 86_400.0, 1e7] {
        let ticks = axis_ticks(max);
        assert!(*ticks.last().unwrap() >= max, "{max}");
        assert!(ticks.len() >= 3 && ticks.len() <= 7, "{max}: {ticks:?}");
    }
}

#[test]
fn bars_scale_to_the_axis_top() {
    let b = bars(&[0.0, 5.0, 10.0], 300.0, 100.0);
    assert_eq!(b.len(), 3);
    assert_eq!(
        b[0],
        Bar {
            x: 10.0,
            y: 100.0,
            w: 80.0,
            h: 0.0
        }
    );
    assert_eq!((b[1].x, b[1].y, b[1].h), (110.0, 50.0, 50.0));
    assert_eq!((b[2].x, b[2].y, b[2].h), (210.0, 0.0, 100.0));
    // Top is 8 for a max of 7.
    let b = bars(&[7.0, f64::NAN, -1.0], 30.0, 80.0);
    assert_eq!(b[0].h, 70.0);
    assert_eq!((b[1].h, b[2].h), (0.0, 0.0));
    let zero = bars(&[0.0, 0.0], 10.0, 10.0);
    assert!(zero.iter().all(|b| b.h == 0.0 && b.y == 10.0));
    assert!(bars(&[], 10.0, 10.0).is_empty());
}

#[test]
fn stacked_segments_handle_zero_values() {
    let s = stack(&[0.0, 1.0, 3.0], 100.0);
    assert_eq!(
        s,
        [
            Segment {
                x: 0.0,
                w: 0.0,
                share: 0.0
            },
            Segment {
                x: 0.0,
                w: 25.0,
                share: 0.25
            },
            Segment {
                x: 25.0,
                w: 75.0,
                share: 0.75
            },
        ]
    );
    let all_zero = stack(&[0.0, 0.0], 100.0);
    assert!(all_zero.iter().all(|s| s.w == 0.0 && s.share == 0.0));
    let one = stack(&[5.0], 100.0);
    assert_eq!((one[0].x, one[0].w, one[0].share), (0.0, 100.0, 1.0));
}

#[test]
fn lines_break_at_unknown_values_and_clip_to_the_top() {
    let l = line(
        &[Some(0.0), Some(5.0), None, Some(10.0), Some(20.0)],
        500.0,
        100.0,
        10.0,
    );
    assert_eq!(
        l.points,
        [
            Some((50.0, 100.0)),
            Some((150.0, 50.0)),
            None,
            Some((350.0, 0.0)),
            Some((450.0, 0.0))
        ]
    );
    assert_eq!(l.path, "M50 100L150 50M350 0L450 0");
    // A point alone is a move only; no values, no path; a scale of 0 counts as 1.
    assert_eq!(
        line(&[None, Some(1.0), None], 300.0, 10.0, 1.0).path,
        "M150 0"
    );
    assert_eq!(line(&[], 300.0, 10.0, 1.0).path, "");
    assert_eq!(
        line(&[Some(-3.0), Some(f64::NAN)], 200.0, 10.0, 0.0).path,
        "M50 10L150 10"
    );
}

#[test]
fn duration_axes_pick_a_readable_unit() {
    assert_eq!(
        duration_axis(45.0),
        (vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0], "s", 1.0)
    );
    assert_eq!(
        duration_axis(1500.0),
        (vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0], "min", 60.0)
    );
    assert_eq!(
        duration_axis(5.0 * 3600.0),
        (vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0], "h", 3600.0)
    );
    assert_eq!(duration_axis(0.0).1, "s");
    assert_eq!(duration_axis(f64::NAN).0, [0.0, 1.0]);
}
