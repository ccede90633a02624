//! `images DIR PAGES`: write a site of PAGES pages, each showing a
//! 2400 x 1600 JPEG photo and every third a 1800 x 900 PNG diagram, for
//! `scripts/bench`'s image-processing figures (first build, rebuild).

use std::path::Path;

use image::{Rgb, RgbImage};

fn photo(seed: u32) -> RgbImage {
    let mut s = seed.wrapping_mul(2_654_435_761);
    RgbImage::from_fn(2400, 1600, |x, y| {
        s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let n = (s >> 27) as i32 - 16;
        let r = (x * 255 / 2400) as i32 + n;
        let g = (y * 255 / 1600) as i32 + n;
        let b = (((x + seed) as f32 / 70.0).sin() * 90.0 + 128.0) as i32 + n;
        Rgb([
            r.clamp(0, 255) as u8,
            g.clamp(0, 255) as u8,
            b.clamp(0, 255) as u8,
        ])
    })
}

fn diagram(seed: u32) -> RgbImage {
    RgbImage::from_fn(1800, 900, |x, y| {
        let bar = y / 150;
        if y % 150 > 30 && x < 200 + ((bar * 37 + seed) % 8) * 200 {
            Rgb([30 + (bar * 40) as u8, 90, 160])
        } else {
            Rgb([255, 255, 255])
        }
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(Ok(pages))) = (args.first(), args.get(1).map(|p| p.parse::<u32>())) else {
        eprintln!("usage: images DIR PAGES");
        std::process::exit(2);
    };
    let root = Path::new(dir);
    let content = root.join("content/gallery");
    std::fs::create_dir_all(&content)?;
    std::fs::write(
        root.join("site.yaml"),
        "title: Images bench\ndescription: Pages with photos and diagrams.\nsearch: false\n",
    )?;
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Images bench\n---\n",
    )?;
    for i in 0..pages {
        let mut body = format!(
            "---\ntitle: Page {i}\n---\n\n![Photo {i} of a treatment room](photo-{i}.jpg)\n\nText.\n"
        );
        photo(i).save(content.join(format!("photo-{i}.jpg")))?;
        if i % 3 == 0 {
            diagram(i).save(content.join(format!("diagram-{i}.png")))?;
            body.push_str(&format!(
                "\n![Diagram {i} of the stages of treatment](diagram-{i}.png)\n"
            ));
        }
        std::fs::write(content.join(format!("page-{i}.md")), body)?;
    }
    Ok(())
}
