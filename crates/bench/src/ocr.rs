//! `trove bench ocr`: character error rate and speed of trove's OCR on pages made here
//! from known text: clean Chinese pages, the same degraded (noise, blur, a few degrees of
//! skew), and Uyghur pages in Arabic script, each drawn at 300 dpi by pango-view with
//! Debian's fonts. Beside it, the `tesseract` command on the same pages: the floor.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use trove_ocr::{Engine, character_error_rate};

use crate::output::json_line;

/// The goals the issue sets, as CER fractions.
const GOAL_CLEAN: f64 = 0.03;
const GOAL_DEGRADED: f64 = 0.08;
const GOAL_UYGHUR: f64 = 0.10;

/// Sentences pages are made of: the register of the speeches and notices of the leak.
const CHINESE: &[&str] = &[
    "关于进一步加强社会稳定工作的通知",
    "各乡镇、各单位：为认真贯彻落实上级会议精神，现就有关事项通知如下。",
    "一、提高认识，加强领导，切实把维护稳定工作摆在突出位置。",
    "二、明确责任，狠抓落实，确保各项措施落到实处。",
    "三、加强教育转化工作，做好学员的管理和服务。",
    "四、严格执行请示报告制度，重大情况及时上报县委。",
    "请各单位于本月底前将工作开展情况报县公安局。",
    "对工作不力、造成严重后果的，将依法依规追究责任。",
];
const UYGHUR: &[&str] = &[
    "ئۇيغۇر تىلى يېزىقى ھەققىدە ئۇقتۇرۇش",
    "بارلىق يېزا-بازارلار ۋە ئورۇنلارغا",
    "يىغىن روھىنى ئەستايىدىل ئەمەلىيلەشتۈرۈش ئۈچۈن",
    "خىزمەت ئەھۋالىنى ۋاقتىدا دوكلات قىلىش كېرەك",
    "مەكتەپ ۋە دوختۇرخانىلارنىڭ خىزمىتىنى كۈچەيتىش",
];

/// What `trove bench ocr` measures.
#[derive(Debug, Clone)]
pub struct OcrBenchOptions {
    /// Pages of each kind.
    pub pages: usize,
    /// Tesseract languages, as a store would set them.
    pub languages: String,
    /// Pages read side by side.
    pub threads: usize,
    /// Random seed of the pages.
    pub seed: u64,
    /// Print the results as one JSON object.
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Group {
    name: &'static str,
    pages: usize,
    /// Mean character error rate over the pages.
    cer: f64,
    goal: f64,
    met: bool,
}

#[derive(Debug, Serialize)]
struct Results {
    languages: String,
    threads: usize,
    groups: Vec<Group>,
    /// trove's OCR over every page, on `threads` threads.
    pages_per_second: f64,
    pages_per_second_per_core: f64,
    /// The `tesseract` command alone, one page at a time: the floor.
    floor_pages_per_second_per_core: f64,
}

/// A page made here: its image and the text drawn on it.
struct Page {
    image: PathBuf,
    truth: String,
    group: usize,
}

/// Runs the benchmark and prints the results.
pub fn run(options: &OcrBenchOptions) -> anyhow::Result<()> {
    for program in ["tesseract", "pango-view"] {
        if Command::new(program).arg("--version").output().is_err() {
            bail!(
                "{program} is not installed; scripts/test.sh installs what the OCR benchmark needs"
            );
        }
    }
    let engine = Engine::find(&options.languages)?;
    let dir = tempfile::tempdir()?;
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut pages = Vec::new();
    for index in 0..options.pages {
        let truth = paragraph(&mut rng, CHINESE, 7);
        let clean = draw(
            dir.path(),
            &format!("zh-{index}"),
            &truth,
            trove_synth::CHINESE_FONT,
        )?;
        let degraded = degrade(&clean, &mut rng, dir.path(), index)?;
        pages.push(Page {
            image: clean,
            truth: truth.clone(),
            group: 0,
        });
        pages.push(Page {
            image: degraded,
            truth,
            group: 1,
        });
        let uyghur = paragraph(&mut rng, UYGHUR, 5);
        let image = draw(
            dir.path(),
            &format!("ug-{index}"),
            &uyghur,
            trove_synth::ARABIC_FONT,
        )?;
        pages.push(Page {
            image,
            truth: uyghur,
            group: 2,
        });
    }
    eprintln!(
        "reading {} pages on {} threads…",
        pages.len(),
        options.threads
    );
    let (rates, seconds) = read_all(&engine, &pages, options.threads)?;
    let floor = floor_seconds(&options.languages, &pages)?;
    let goals = [
        ("clean Chinese", GOAL_CLEAN),
        ("degraded Chinese", GOAL_DEGRADED),
        ("Uyghur", GOAL_UYGHUR),
    ];
    let groups = goals
        .iter()
        .enumerate()
        .map(|(group, (name, goal))| {
            let cers: Vec<f64> = rates
                .iter()
                .filter(|(g, _)| *g == group)
                .map(|(_, c)| *c)
                .collect();
            let cer = cers.iter().sum::<f64>() / cers.len().max(1) as f64;
            Group {
                name,
                pages: cers.len(),
                cer,
                goal: *goal,
                met: cer <= *goal,
            }
        })
        .collect();
    let pages_per_second = pages.len() as f64 / seconds;
    let results = Results {
        languages: options.languages.clone(),
        threads: options.threads,
        groups,
        pages_per_second,
        pages_per_second_per_core: pages_per_second / options.threads.max(1) as f64,
        floor_pages_per_second_per_core: pages.len() as f64 / floor,
    };
    if options.json {
        json_line(&results)?;
    } else {
        print(&results);
    }
    Ok(())
}

fn paragraph(rng: &mut ChaCha8Rng, sentences: &[&str], lines: usize) -> String {
    (0..lines)
        .map(|_| sentences[rng.random_range(0..sentences.len())])
        .collect::<Vec<_>>()
        .join("\n")
}

/// A page of `text` drawn as the demo leak's scans are, saved as `name.png` in `dir`.
fn draw(dir: &Path, name: &str, text: &str, font: &str) -> anyhow::Result<PathBuf> {
    let page = trove_synth::draw_page(text, font)?
        .with_context(|| format!("pango-view could not draw {name} in {font}"))?;
    let image = dir.join(format!("{name}.png"));
    page.save(&image)?;
    Ok(image)
}

/// The page as a poor scan, as the demo leak's degraded page is made.
fn degrade(
    clean: &Path,
    rng: &mut ChaCha8Rng,
    dir: &Path,
    index: usize,
) -> anyhow::Result<PathBuf> {
    let page = image::open(clean)?.to_luma8();
    let path = dir.join(format!("zh-{index}-degraded.png"));
    trove_synth::degrade(&page, rng).save(&path)?;
    Ok(path)
}

/// Reads every page with trove's engine on `threads` threads: (group, CER) per page and
/// the wall time.
fn read_all(
    engine: &Engine,
    pages: &[Page],
    threads: usize,
) -> anyhow::Result<(Vec<(usize, f64)>, f64)> {
    let next = AtomicUsize::new(0);
    let rates = Mutex::new(Vec::new());
    let failure = Mutex::new(None);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                while let Some(page) = pages.get(next.fetch_add(1, Ordering::Relaxed)) {
                    match engine.read(&page.image) {
                        Ok(read) => {
                            let cer = character_error_rate(&read.text, &page.truth);
                            if let Ok(mut rates) = rates.lock() {
                                rates.push((page.group, cer));
                            }
                        }
                        Err(error) => {
                            if let Ok(mut failure) = failure.lock() {
                                *failure = Some(error.to_string());
                            }
                        }
                    }
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    if let Some(error) = failure.into_inner().ok().flatten() {
        bail!("OCR failed: {error}");
    }
    Ok((rates.into_inner().unwrap_or_default(), seconds))
}

/// Seconds the `tesseract` command takes over every page, one at a time.
fn floor_seconds(languages: &str, pages: &[Page]) -> anyhow::Result<f64> {
    let started = Instant::now();
    for page in pages {
        let status = Command::new("tesseract")
            .arg(&page.image)
            .arg("stdout")
            .args(["-l", languages])
            .env("OMP_THREAD_LIMIT", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()?;
        if !status.success() {
            bail!("tesseract failed on {}", page.image.display());
        }
    }
    Ok(started.elapsed().as_secs_f64())
}

fn print(results: &Results) {
    println!("OCR ({}), {} threads", results.languages, results.threads);
    for group in &results.groups {
        println!(
            "  {:<17} {:>3} pages  CER {:>5.2}%  (goal ≤ {:.0}%: {})",
            group.name,
            group.pages,
            group.cer * 100.0,
            group.goal * 100.0,
            if group.met { "met" } else { "NOT met" }
        );
    }
    println!(
        "  speed: {:.2} pages/s ({:.2} per core); the tesseract command alone: {:.2} pages/s per core",
        results.pages_per_second,
        results.pages_per_second_per_core,
        results.floor_pages_per_second_per_core
    );
}
