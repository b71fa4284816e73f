//! Chart geometry: numbers only (axis ticks, bars, stacked segments); the app writes the SVG.

/// A nice step (1, 2 or 5 × 10ᵏ) for about five intervals up to `max`, as (mantissa, exponent).
fn nice_step(max: f64) -> (u64, i32) {
    let raw = max / 5.0;
    let mut exp = raw.log10().floor() as i32;
    // log10 can be off by one ulp around powers of ten; correct the exponent exactly.
    if 10f64.powi(exp) > raw {
        exp -= 1;
    } else if 10f64.powi(exp + 1) <= raw {
        exp += 1;
    }
    let norm = raw / 10f64.powi(exp);
    match norm {
        n if n <= 1.0 => (1, exp),
        n if n <= 2.0 => (2, exp),
        n if n <= 5.0 => (5, exp),
        _ => (1, exp + 1),
    }
}

/// `i × mantissa × 10^exp` computed so that decimal steps stay clean (0.3, not
/// 0.30000000000000004).
fn tick_value(i: u64, mantissa: u64, exp: i32) -> f64 {
    let units = (i * mantissa) as f64;
    if exp >= 0 {
        units * 10f64.powi(exp)
    } else {
        units / 10f64.powi(-exp)
    }
}

/// Y-axis ticks from 0 up to the first nice value ≥ `max`, with a 1/2/5 × 10ᵏ step (about five
/// intervals). `max ≤ 0` or not finite gives `[0, 1]`, so an all-zero chart still has a scale.
pub fn axis_ticks(max: f64) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0, 1.0];
    }
    let (mantissa, exp) = nice_step(max);
    let step = tick_value(1, mantissa, exp);
    let intervals = (max / step).ceil().max(1.0) as u64;
    (0..=intervals)
        .map(|i| tick_value(i, mantissa, exp))
        .collect()
}

/// Like [`axis_ticks`] for counts: the step is at least 1, so no tick reads "0.4 requests".
pub fn count_axis_ticks(max: f64) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0, 1.0];
    }
    if max <= 5.0 {
        let top = max.ceil() as u64;
        return (0..=top).map(|i| i as f64).collect();
    }
    axis_ticks(max)
}

/// A bar's rectangle in SVG user units (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height (0 for a zero value: the bar sits on the baseline).
    pub h: f64,
}

/// The fraction of each slot a bar leaves as gap, split evenly either side.
const BAR_GAP: f64 = 0.2;

/// Vertical bars for `values` in a `width × height` plot, baseline at `y = height`. The scale's
/// top is the last of `axis_ticks(max value)`, so the view draws its tick at
/// `y = height − tick / top × height` and bars line up with it. Negative or NaN values are
/// drawn as 0.
pub fn bars(values: &[f64], width: f64, height: f64) -> Vec<Bar> {
    if values.is_empty() {
        return Vec::new();
    }
    let max = values.iter().copied().fold(0.0, f64::max);
    let top = axis_ticks(max).last().copied().unwrap_or(1.0);
    let slot = width / values.len() as f64;
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let v = if v > 0.0 { v } else { 0.0 };
            let h = (v / top).min(1.0) * height;
            Bar {
                x: i as f64 * slot + slot * BAR_GAP / 2.0,
                y: height - h,
                w: slot * (1.0 - BAR_GAP),
                h,
            }
        })
        .collect()
}

/// One part of a horizontal stacked bar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// Left edge.
    pub x: f64,
    /// Width (0 for a zero value).
    pub w: f64,
    /// This value over the sum (0 when the sum is 0).
    pub share: f64,
}

/// A stacked bar of `width` split in proportion to `values`: one segment per value, in order,
/// so a view can zip them with its labels. Chosen over a donut because zero values and a single
/// 100 % value need no special case (an SVG arc from an angle to itself draws nothing). Negative
/// or NaN values count as 0; an all-zero input gives zero-width segments.
pub fn stack(values: &[f64], width: f64) -> Vec<Segment> {
    let clean = |v: f64| if v > 0.0 { v } else { 0.0 };
    let total: f64 = values.iter().map(|v| clean(*v)).sum();
    let mut x = 0.0;
    values
        .iter()
        .map(|&v| {
            let share = if total > 0.0 { clean(v) / total } else { 0.0 };
            let seg = Segment {
                x,
                w: share * width,
                share,
            };
            x += seg.w;
            seg
        })
        .collect()
}

/// A line chart's geometry: one series of points over categories, with gaps.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The point of each category (`None` where the value is unknown), in SVG user units: x at
    /// the middle of the category's slot, y from the top (the scale's top is `top`).
    pub points: Vec<Option<(f64, f64)>>,
    /// An SVG path (`M x y L x y …`) through the points; an unknown value breaks the line, and
    /// a point alone stays a point (the view marks every point).
    pub path: String,
}

/// The line of `values` (one per category; `None` unknown, a negative or NaN value drawn as 0)
/// in a `width × height` plot whose scale runs from 0 to `top` (the last tick of the axis the
/// view draws; values above it are clipped to the top).
pub fn line(values: &[Option<f64>], width: f64, height: f64, top: f64) -> Line {
    let slot = if values.is_empty() {
        width
    } else {
        width / values.len() as f64
    };
    let top = if top > 0.0 && top.is_finite() {
        top
    } else {
        1.0
    };
    let points: Vec<Option<(f64, f64)>> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.map(|v| {
                let v = if v > 0.0 { v.min(top) } else { 0.0 };
                ((i as f64 + 0.5) * slot, height - v / top * height)
            })
        })
        .collect();
    let mut path = String::new();
    let mut open = false;
    for p in &points {
        match p {
            Some((x, y)) => {
                path.push(if open { 'L' } else { 'M' });
                path.push_str(&crate::format::one_decimal(*x));
                path.push(' ');
                path.push_str(&crate::format::one_decimal(*y));
                open = true;
            }
            None => open = false,
        }
    }
    Line { points, path }
}

/// A response-time axis up to `max_seconds`: its ticks in a unit people read (seconds under
/// two minutes, minutes under two hours, then hours), the unit's name and its length in
/// seconds. The ticks are [`axis_ticks`] of the maximum in that unit, so they read "0, 10, 20,
/// 30 min", not "0, 600, 1200, 1800 s".
pub fn duration_axis(max_seconds: f64) -> (Vec<f64>, &'static str, f64) {
    // NaN and anything under two minutes: seconds.
    let (unit, name) = if max_seconds.is_nan() || max_seconds < 120.0 {
        (1.0, "s")
    } else if max_seconds < 7200.0 {
        (60.0, "min")
    } else {
        (3600.0, "h")
    };
    (axis_ticks(max_seconds / unit), name, unit)
}
