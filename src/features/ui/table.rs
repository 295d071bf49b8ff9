//! A plain data table: column headings, then rows the caller renders.

use leptos::prelude::*;

#[component]
pub fn Table(headings: Vec<&'static str>, children: Children) -> impl IntoView {
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm">
                <thead class="bg-slate-50">
                    <tr>
                        {headings
                            .into_iter()
                            .map(|heading| view! {
                                <th scope="col" class="px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                                    {heading}
                                </th>
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">{children()}</tbody>
            </table>
        </div>
    }
}

/// A row saying the table has nothing to show.
#[component]
pub fn EmptyRow(columns: usize, message: String) -> impl IntoView {
    view! {
        <tr>
            <td colspan=columns.to_string() class="px-4 py-6 text-center text-sm text-slate-500">{message}</td>
        </tr>
    }
}

/// The class of an ordinary cell.
pub const CELL: &str = "px-4 py-2 align-top text-slate-800";
