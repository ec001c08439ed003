//! Which Chinese script a text is written in, judged by the characters that exist in one
//! script only: 們 is Traditional, its Simplified form 们. A mainland office writes
//! Simplified; a Traditional document in its files is something to check (the
//! authenticity report says so), whatever the encoding (Big5, GBK or UTF-8) carried it.
//!
//! Written here: no crate judges the script of a text; converters (OpenCC) map between
//! the scripts, which needs their full tables, where a count over frequent characters is
//! all a judgement needs.

/// Frequent characters written differently in the two scripts, as (Simplified,
/// Traditional). Only pairs where neither form is used in the other script: 后 (also
/// "empress" in Traditional) or 干 are left out.
const PAIRS: &[(char, char)] = &[
    ('们', '們'),
    ('说', '說'),
    ('这', '這'),
    ('国', '國'),
    ('对', '對'),
    ('会', '會'),
    ('来', '來'),
    ('时', '時'),
    ('个', '個'),
    ('为', '為'),
    ('学', '學'),
    ('发', '發'),
    ('经', '經'),
    ('关', '關'),
    ('与', '與'),
    ('当', '當'),
    ('点', '點'),
    ('区', '區'),
    ('务', '務'),
    ('机', '機'),
    ('长', '長'),
    ('实', '實'),
    ('证', '證'),
    ('书', '書'),
    ('号', '號'),
    ('县', '縣'),
    ('乡', '鄉'),
    ('镇', '鎮'),
    ('产', '產'),
    ('总', '總'),
    ('员', '員'),
    ('动', '動'),
    ('进', '進'),
    ('现', '現'),
    ('种', '種'),
    ('应', '應'),
    ('过', '過'),
    ('还', '還'),
    ('开', '開'),
    ('问', '問'),
    ('头', '頭'),
    ('见', '見'),
    ('从', '從'),
    ('样', '樣'),
    ('认', '認'),
    ('让', '讓'),
    ('东', '東'),
    ('车', '車'),
    ('门', '門'),
    ('马', '馬'),
    ('语', '語'),
    ('话', '話'),
    ('请', '請'),
    ('读', '讀'),
    ('写', '寫'),
    ('习', '習'),
    ('买', '買'),
    ('卖', '賣'),
    ('钱', '錢'),
    ('银', '銀'),
    ('华', '華'),
    ('党', '黨'),
    ('军', '軍'),
    ('战', '戰'),
    ('电', '電'),
    ('报', '報'),
    ('纸', '紙'),
    ('网', '網'),
    ('络', '絡'),
    ('线', '線'),
    ('级', '級'),
    ('组', '組'),
    ('织', '織'),
    ('处', '處'),
    ('办', '辦'),
    ('劳', '勞'),
    ('边', '邊'),
    ('达', '達'),
    ('运', '運'),
    ('远', '遠'),
    ('选', '選'),
    ('传', '傳'),
    ('统', '統'),
    ('汉', '漢'),
    ('维', '維'),
    ('尔', '爾'),
    ('乌', '烏'),
    ('鲁', '魯'),
    ('齐', '齊'),
    ('苏', '蘇'),
    ('萨', '薩'),
    ('图', '圖'),
    ('审', '審'),
    ('讯', '訊'),
    ('监', '監'),
    ('狱', '獄'),
    ('转', '轉'),
    ('训', '訓'),
    ('练', '練'),
    ('职', '職'),
    ('业', '業'),
    ('术', '術'),
    ('园', '園'),
    ('稳', '穩'),
    ('极', '極'),
    ('议', '議'),
    ('纪', '紀'),
    ('录', '錄'),
    ('档', '檔'),
    ('资', '資'),
    ('询', '詢'),
    ('调', '調'),
    ('侦', '偵'),
    ('枪', '槍'),
    ('击', '擊'),
    ('杀', '殺'),
    ('无', '無'),
    ('权', '權'),
    ('义', '義'),
    ('护', '護'),
    ('领', '領'),
    ('导', '導'),
    ('责', '責'),
    ('户', '戶'),
    ('库', '庫'),
];

/// Distinguishing characters needed before anything is said: a name or two decide
/// nothing.
const MIN_EVIDENCE: usize = 10;
/// How many times the other script's count one script's must reach to be judged.
const DOMINANCE: usize = 4;

/// Characters read at most: the script of a document shows in its first pages.
const MAX_CHARS_READ: usize = 200_000;

/// Each script's characters, sorted for binary search.
fn sorted_forms() -> &'static (Vec<char>, Vec<char>) {
    static FORMS: std::sync::OnceLock<(Vec<char>, Vec<char>)> = std::sync::OnceLock::new();
    FORMS.get_or_init(|| {
        let mut simplified: Vec<char> = PAIRS.iter().map(|&(s, _)| s).collect();
        let mut traditional: Vec<char> = PAIRS.iter().map(|&(_, t)| t).collect();
        simplified.sort_unstable();
        traditional.sort_unstable();
        (simplified, traditional)
    })
}

/// The script code (ISO 15924) a text is written in: `Hant` (Traditional) or `Hans`
/// (Simplified), when it has enough distinguishing characters and one script clearly
/// dominates; `None` otherwise.
pub fn judge<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    let (simplified_forms, traditional_forms) = sorted_forms();
    let (mut simplified, mut traditional) = (0usize, 0usize);
    let chars = texts.into_iter().flat_map(str::chars).take(MAX_CHARS_READ);
    // Both forms of every pair lie in the CJK blocks; the rest is skipped cheaply.
    for c in chars.filter(|&c| c as u32 >= 0x4E00) {
        if simplified_forms.binary_search(&c).is_ok() {
            simplified += 1;
        } else if traditional_forms.binary_search(&c).is_ok() {
            traditional += 1;
        }
    }
    if simplified + traditional < MIN_EVIDENCE {
        None
    } else if traditional >= simplified.max(1) * DOMINANCE {
        Some("Hant")
    } else if simplified >= traditional.max(1) * DOMINANCE {
        Some("Hans")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_script_is_told_by_its_own_characters() {
        let simplified =
            "关于进一步加强县乡两级维稳工作的通知：各单位要认真学习，对重点人员开展教育转化。";
        let traditional =
            "關於進一步加強縣鄉兩級維穩工作的通知：各單位要認真學習，對重點人員開展教育轉化。";
        assert_eq!(judge([simplified]), Some("Hans"));
        assert_eq!(judge([traditional]), Some("Hant"));
        // Split over parts, as pages or sheets.
        let middle = traditional.char_indices().nth(20).unwrap().0;
        let (one, two) = traditional.split_at(middle);
        assert_eq!(judge([one, two]), Some("Hant"));
    }

    #[test]
    fn too_little_or_too_mixed_text_is_not_judged() {
        assert_eq!(judge(["热依拉·奥迈尔 会 国"]), None);
        assert_eq!(judge(["Rahile Omer, born 1985"]), None);
        let mixed = "关于进一步加强县乡两级 關於進一步加強縣鄉兩級";
        assert_eq!(judge([mixed]), None);
        let (simplified, traditional) = sorted_forms();
        assert!(
            simplified
                .iter()
                .all(|c| traditional.binary_search(c).is_err())
        );
        assert!(simplified.windows(2).all(|w| w[0] < w[1]), "no pair twice");
    }
}
