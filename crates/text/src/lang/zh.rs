//! Chinese (Simplified and Traditional): written without spaces, Han
//! characters one token each, words cut by a dictionary for the aligner,
//! numerals read in counting contexts (`第八次`, `三个`), dates with marks
//! (`2018年5月17日`), number words (`万`, `亿`), and the longer names that
//! contain a shorter one (`白俄罗斯` is not `俄罗斯`).
//!
//! The Chinese numerals themselves (`二〇一八`, `十五`, `壹佰`) are read and
//! written by [`crate::numbers`].

use super::generic::BASE;
use super::profile::{Calendar, DateMarks, Profile, Script, Typography};

pub static PROFILE: Profile = Profile {
    codes: &["zh"],
    name: Some("Chinese"),
    script: Script::Han,
    script_check: true,
    unspaced: true,
    han_words: true,
    // Chinese text quotes English abbreviations ("美国（U.S.）").
    abbreviations: &super::en::ABBREVIATIONS,
    multipliers: &[("千", 3), ("万", 4), ("萬", 4), ("百万", 6), ("亿", 8), ("億", 8)],
    han_numerals: Some("次届月日号年周个项条名位天点"),
    calendar: &CALENDAR,
    compound_blockers: &[
        "印度尼西亚",
        "印度洋",
        "印度支那",
        "印度教",
        "白俄罗斯",
        "俄罗斯族",
        "内蒙古",
    ],
    typography: Typography {
        full_width: true,
        no_space_before: "，。、；：？！）」』》】〉…,.;:?!)]}",
        // measured on NTREX-128 news (991 sentence pairs of 20+ characters, `docs/qa.md`)
        length_vs_english: Some((0.403, 0.226)),
    },
    ..BASE
};

static CALENDAR: Calendar = Calendar {
    months: &[],
    variants: &[],
    abbreviated: &[],
    year_words: &[],
    marks: Some(DateMarks {
        year: '年',
        month: '月',
        day: &['日', '号'],
    }),
};
