//! The maximum session duration of a role: 1 to 12 hours, shown in hours, sent in seconds.

use leptos::prelude::*;

/// `3600` as `1 hour`, `5400` as `1.5 hours`.
pub fn hours_label(seconds: i64) -> String {
    if seconds == 3_600 {
        return "1 hour".to_string();
    }
    if seconds % 3_600 == 0 {
        return format!("{} hours", seconds / 3_600);
    }
    format!("{:.1} hours", seconds as f64 / 3_600.0)
}

/// Whole hours from 1 to 12, plus `current` when the API set something in between.
fn choices(current: i64) -> Vec<i64> {
    let mut seconds: Vec<i64> = (1..=12).map(|hours| hours * 3_600).collect();
    if !seconds.contains(&current) && (3_600..=43_200).contains(&current) {
        seconds.push(current);
        seconds.sort_unstable();
    }
    seconds
}

/// A choice of whole hours from 1 to 12 (AWS's 3,600–43,200 seconds).
#[component]
pub fn SessionDurationSelect(
    value: RwSignal<i64>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let initial = value.get_untracked();
    view! {
        <div class="space-y-1">
            <label for="field-MaxSessionDuration" class="block text-sm font-medium text-slate-700">"Maximum session duration"</label>
            <select
                id="field-MaxSessionDuration"
                class="block w-48 rounded-md border border-slate-300 px-3 py-2 text-sm"
                on:change=move |ev| {
                    if let Ok(seconds) = event_target_value(&ev).parse::<i64>() {
                        value.set(seconds);
                    }
                }
            >
                {choices(initial)
                    .into_iter()
                    .map(|seconds| {
                        view! { <option value=seconds.to_string() selected=seconds == initial>{hours_label(seconds)}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="text-xs text-slate-500">"How long sessions of this role may last: 1 to 12 hours."</p>
            <p class="text-sm text-red-700" role="alert" id="field-MaxSessionDuration-error">{move || error.get()}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_in_hours() {
        assert_eq!(super::hours_label(3_600), "1 hour");
        assert_eq!(super::hours_label(43_200), "12 hours");
        assert_eq!(super::hours_label(5_400), "1.5 hours");
    }

    #[test]
    fn an_odd_current_duration_is_offered_too() {
        assert_eq!(super::choices(3_600).len(), 12);
        let with_odd = super::choices(5_400);
        assert_eq!(with_odd.len(), 13);
        assert_eq!(with_odd[1], 5_400);
    }
}
