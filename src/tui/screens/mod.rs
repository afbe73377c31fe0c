//! One folder per screen: its state (`mod.rs`), its update (`update.rs`) and its view
//! (`view.rs`). Adding a screen touches its folder and one line of dispatch in
//! [`super::update`] and [`super::views`].

pub mod blast;
pub mod context;
pub mod explorer;
pub mod paths;
pub mod study;
pub mod trust;
pub mod who_can;

/// `index` moved by `delta`, kept within a list of `len` items.
pub fn step_within(index: usize, delta: isize, len: usize) -> usize {
    index
        .saturating_add_signed(delta)
        .min(len.saturating_sub(1))
}

/// Edits a text field with a typed key; true when the text changed.
pub fn edit(text: &mut String, key: super::action::InputKey) -> bool {
    use super::action::InputKey;
    match key {
        InputKey::Char(c) => text.push(c),
        InputKey::Backspace => return text.pop().is_some(),
        InputKey::Clear => {
            let changed = !text.is_empty();
            text.clear();
            return changed;
        }
        _ => return false,
    }
    true
}
