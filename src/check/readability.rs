//! Flesch–Kincaid grade level of a page's prose (code, tables and headings
//! left out): 0.39 × words/sentence + 11.8 × syllables/word − 15.59.
//! A rough guide, not a verdict.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Figures {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// `None` when there is too little prose to judge.
    pub grade: Option<f64>,
}

/// Fewer words than this give no grade.
pub const MIN_WORDS: usize = 50;

pub fn measure(prose: &str) -> Figures {
    let mut f = Figures::default();
    for unit in prose.split('\n') {
        let words: Vec<&str> = unit
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect();
        if words.is_empty() {
            continue;
        }
        f.words += words.len();
        f.syllables += words.iter().map(|w| syllables(w)).sum::<usize>();
        let mut sentences = 0;
        let chars: Vec<char> = unit.trim_end().chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if matches!(c, '.' | '!' | '?')
                && chars
                    .get(i + 1)
                    .is_none_or(|n| n.is_whitespace() || matches!(n, '"' | '”' | ')' | '’'))
            {
                sentences += 1;
            }
        }
        let ends_with_stop = chars
            .iter()
            .rev()
            .find(|c| !matches!(c, '"' | '”' | ')' | '’'))
            .is_some_and(|c| matches!(c, '.' | '!' | '?'));
        if !ends_with_stop {
            sentences += 1;
        }
        f.sentences += sentences.max(1);
    }
    if f.words >= MIN_WORDS && f.sentences > 0 {
        let g = 0.39 * f.words as f64 / f.sentences as f64
            + 11.8 * f.syllables as f64 / f.words as f64
            - 15.59;
        f.grade = Some((g * 10.0).round() / 10.0);
    }
    f
}

/// Vowel groups, less a silent final "e"; at least one.
pub fn syllables(word: &str) -> usize {
    let w: String = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if w.is_empty() {
        return 1;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut prev = false;
    for c in w.chars() {
        let v = vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    if w.ends_with('e') && !w.ends_with("le") && count > 1 {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllable_counts() {
        for (w, n) in [
            ("cat", 1),
            ("therapy", 3),
            ("make", 1),
            ("table", 2),
            ("PTSD", 1),
            ("evidence", 3),
            ("2024", 1),
        ] {
            assert_eq!(syllables(w), n, "{w}");
        }
    }

    #[test]
    fn simple_text_scores_low_and_dense_text_high() {
        let simple =
            "The cat sat on the mat. It was warm. The dog ran to the cat. They sat in the sun.\n"
                .repeat(4);
        let dense = "Methylenedioxymethamphetamine-assisted psychotherapeutic interventions demonstrated statistically significant symptomatic amelioration comparatively.\n".repeat(6);
        let s = measure(&simple);
        let d = measure(&dense);
        assert!(s.grade.unwrap() < 3.0, "{s:?}");
        assert!(d.grade.unwrap() > 15.0, "{d:?}");
    }

    #[test]
    fn list_items_and_decimals() {
        let f = measure("one two three\nfour five six\nIt was 2.5 mg. Done.\n");
        assert_eq!(f.sentences, 4);
        assert_eq!(f.words, 11);
        assert_eq!(f.grade, None, "too short to grade");
    }
}
