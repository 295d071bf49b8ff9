//! Leftmost search for one `*`-free segment of a wildcard pattern (literals
//! and `?`) in O(text × segment / 64) whatever the input: a bit-parallel
//! Shift-And over characters, so hostile patterns such as `*aaaa…a?b*` stay
//! within that bound where backtracking took seconds.

use std::collections::HashMap;

use super::{PieceRef, Pieces};

/// One segment of a pattern: pieces `range` of `pattern` (no `Star` inside).
pub struct Segment<'p, P: Pieces + ?Sized> {
    pub pattern: &'p P,
    pub range: std::ops::Range<usize>,
}

/// What one character position of a segment accepts.
#[derive(Clone, Copy)]
enum Slot {
    Any,
    Char(char),
}

impl<P: Pieces + ?Sized> Segment<'_, P> {
    fn slots(&self, fold: bool) -> Vec<Slot> {
        let mut slots = Vec::new();
        for index in self.range.clone() {
            match self.pattern.piece(index) {
                PieceRef::Literal(literal) => slots.extend(
                    literal
                        .chars()
                        .map(|ch| Slot::Char(if fold { ch.to_ascii_lowercase() } else { ch })),
                ),
                PieceRef::One => slots.push(Slot::Any),
                PieceRef::Star => {}
            }
        }
        slots
    }
}

/// Bit masks over slot positions: which slots accept a given character.
struct Masks {
    words: usize,
    any: Vec<u64>,
    /// Characters accepted by many slots, as full masks.
    dense: HashMap<char, Vec<u64>>,
    /// Characters accepted by few slots, as slot positions (bounded by `words`,
    /// so applying one costs no more than a full mask).
    sparse: HashMap<char, Vec<usize>>,
}

impl Masks {
    fn new(slots: &[Slot]) -> Masks {
        let words = slots.len().div_ceil(64);
        let mut any = vec![0u64; words];
        let mut positions: HashMap<char, Vec<usize>> = HashMap::new();
        for (position, slot) in slots.iter().enumerate() {
            match slot {
                Slot::Any => any[position / 64] |= 1 << (position % 64),
                Slot::Char(ch) => positions.entry(*ch).or_default().push(position),
            }
        }
        let mut dense = HashMap::new();
        let mut sparse = HashMap::new();
        for (ch, list) in positions {
            if list.len() > words {
                let mut mask = vec![0u64; words];
                for position in list {
                    mask[position / 64] |= 1 << (position % 64);
                }
                dense.insert(ch, mask);
            } else {
                sparse.insert(ch, list);
            }
        }
        Masks {
            words,
            any,
            dense,
            sparse,
        }
    }
}

/// The end (byte offset) of the leftmost match of `segment` that starts at or
/// after `from` and ends at or before `limit`. `text[from..limit]` must lie on
/// character boundaries.
pub fn find_segment<P: Pieces + ?Sized>(
    segment: &Segment<'_, P>,
    text: &str,
    from: usize,
    limit: usize,
    fold: bool,
) -> Option<usize> {
    let window = text.get(from..limit)?;
    if !fold && segment.range.len() == 1 {
        if let PieceRef::Literal(literal) = segment.pattern.piece(segment.range.start) {
            // One literal: the standard library's linear-time substring search.
            return window
                .find(literal)
                .map(|index| from + index + literal.len());
        }
    }
    let slots = segment.slots(fold);
    let Some(last) = slots.len().checked_sub(1) else {
        return Some(from);
    };
    let masks = Masks::new(&slots);
    let mut state = vec![0u64; masks.words];
    let mut next = vec![0u64; masks.words];
    for (offset, ch) in window.char_indices() {
        let ch = if fold { ch.to_ascii_lowercase() } else { ch };
        // state = (state << 1) | 1: every position may start a match.
        let mut carry = 1u64;
        for word in state.iter_mut() {
            let shifted = (*word << 1) | carry;
            carry = *word >> 63;
            *word = shifted;
        }
        for (index, word) in next.iter_mut().enumerate() {
            *word = state[index] & masks.any[index];
        }
        if let Some(mask) = masks.dense.get(&ch) {
            for (index, word) in next.iter_mut().enumerate() {
                *word |= state[index] & mask[index];
            }
        } else if let Some(positions) = masks.sparse.get(&ch) {
            for &position in positions {
                let bit = 1u64 << (position % 64);
                next[position / 64] |= state[position / 64] & bit;
            }
        }
        std::mem::swap(&mut state, &mut next);
        if state[last / 64] & (1 << (last % 64)) != 0 {
            return Some(from + offset + ch.len_utf8());
        }
    }
    None
}
