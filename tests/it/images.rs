//! Responsive images (issue 23): resized variants with `srcset`, WebP
//! beside PNG, intrinsic sizes, lazy loading after the first image,
//! variants kept between builds, and located errors for files that are
//! not images or are too large. The browser tests check the fixture
//! (tests/fixtures/science/topics) for axe, the Nu Html Checker and layout.

use std::path::Path;

use crate::common::Site;

/// A copy of the fixture, built.
fn topics() -> Site {
    let site = Site::fixture("science/topics");
    site.build_ok();
    site
}

/// Names of the files in `dir` of the output that start with `prefix`.
fn files(site: &Site, dir: &str, prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(site.public().join(dir))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(prefix))
        .collect();
    v.sort();
    v
}

fn size_of(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap()
}

/// CRC-32 (PNG's chunk checksum).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG of `w` x `h` pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn images_get_variants_srcset_and_their_size() {
    let site = crate::common::topics_built();
    let html = site.read("guide/sleep/index.html");
    // A JPEG in Markdown: lossy WebP offered first (at each width and its
    // own), JPEG variants below its width and itself as the fallback; its
    // size; the page's first image is not lazy.
    let jpg = files(site, "guide", "clinic.");
    assert_eq!(jpg.len(), 1 + 2 + 3, "{jpg:?}");
    let w480 = jpg.iter().find(|n| n.ends_with(".480w.jpg")).unwrap();
    let webp480 = w480.replace(".jpg", ".webp");
    assert!(html.contains(&format!(
        "<picture><source type=\"image/webp\" srcset=\"/learn/guide/{webp480} 480w, /learn/guide/{} 800w, /learn/guide/{} 1200w\"",
        webp480.replace("480w", "800w"),
        webp480.replace("480w", "1200w"),
    )), "{html}");
    let webp_len = std::fs::metadata(site.public().join("guide").join(&webp480))
        .unwrap()
        .len();
    let jpg_len = std::fs::metadata(site.public().join("guide").join(w480))
        .unwrap()
        .len();
    assert!(
        webp_len < jpg_len,
        "the photo's WebP ({webp_len}) is smaller than its JPEG ({jpg_len})"
    );
    assert!(html.contains(&format!(
        "srcset=\"/learn/guide/{w480} 480w, /learn/guide/{} 800w, /learn/guide/clinic.jpg 1200w\"",
        w480.replace("480w", "800w"),
    )), "{html}");
    assert!(html.contains("width=\"1200\" height=\"750\" loading=\"eager\" decoding=\"async\""));
    assert!(
        html.contains(
            "alt=\"A quiet treatment room with a couch and soft light\" title=\"The room\""
        )
    );
    assert_eq!(size_of(&site.public().join("guide").join(w480)), (480, 300));
    assert_eq!(
        size_of(&site.public().join("guide").join(&webp480)),
        (480, 300)
    );
    // A PNG in a {figure}: WebP offered first (at every width and its own),
    // PNG variants as the fallback; lazy, as the page's second image.
    let webp: Vec<String> = files(site, "guide", "timeline.")
        .into_iter()
        .filter(|n| n.ends_with(".webp"))
        .collect();
    assert_eq!(webp.len(), 3, "{webp:?}");
    assert!(html.contains("<picture><source type=\"image/webp\" srcset=\"/learn/guide/timeline."));
    assert!(
        html.contains("/learn/guide/timeline.png 1000w\""),
        "the original is the largest PNG"
    );
    assert!(html.contains("width=\"1000\" height=\"500\" loading=\"lazy\""));
    assert!(
        html.contains("<figcaption>The stages of a course of treatment"),
        "caption stays"
    );
    assert!(html.contains("<span class=\"credit\">Diagram made for this fixture.</span>"));
    for name in &webp {
        let bytes = std::fs::read(site.public().join("guide").join(name)).unwrap();
        assert_eq!(&bytes[8..12], b"WEBP", "{name}");
        let png = site
            .public()
            .join("guide")
            .join(name.replace(".webp", ".png"));
        if png.exists() {
            assert!(
                bytes.len() < std::fs::metadata(&png).unwrap().len() as usize,
                "{name} smaller than its PNG"
            );
        }
    }
}

#[test]
fn variants_are_made_once_and_kept_by_later_builds() {
    let site = topics();
    let variant = site
        .public()
        .join("guide")
        .join(&files(&site, "guide", "clinic.")[0]);
    let made = std::fs::metadata(&variant).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = site.build_ok();
    assert_eq!(r.files.written, 0);
    // A site-wide change renders every page again, but no image.
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &yaml.replace("Pages grouped", "Pages sorted"));
    let r = site.build_ok();
    assert!(r.files.written > 0);
    assert_eq!(
        std::fs::metadata(&variant).unwrap().modified().unwrap(),
        made
    );
    // A variant deleted by hand is made again, not trusted to the cache.
    std::fs::remove_file(&variant).unwrap();
    site.build_ok();
    assert!(variant.exists());
    // A new image: new names; the old variants go.
    std::fs::write(
        site.root().join("content/guide/timeline.png"),
        png(1000, 500),
    )
    .unwrap();
    site.build_ok();
    let pngs = files(&site, "guide", "timeline.");
    assert_eq!(
        pngs.len(),
        1 + 2 + 3,
        "480 and 800 as PNG and WebP, 1000 as WebP: {pngs:?}"
    );
    assert!(
        site.read("guide/sleep/index.html")
            .contains("width=\"1000\" height=\"500\"")
    );
}

#[test]
fn a_file_that_is_not_an_image_is_a_located_error() {
    let site = Site::fixture("science/topics");
    site.write("content/guide/broken.png", "not a picture")
        .write(
            "content/guide/bad.md",
            "---\ntitle: Bad\n---\n\nText first.\n\n![A chart](broken.png)\n",
        );
    let errs = site.build_err();
    let d = errs
        .iter()
        .find(|d| {
            d.message
                .contains("content/guide/broken.png cannot be used")
        })
        .unwrap_or_else(|| panic!("{errs:?}"));
    assert!(d.to_string().contains("content/guide/bad.md:7:1"), "{d}");
    assert!(!site.public().exists(), "nothing written");
}

#[test]
fn an_image_that_breaks_off_after_its_header_is_a_located_error() {
    let site = Site::fixture("science/topics");
    let mut bytes = png(900, 600);
    bytes.truncate(bytes.len() / 2);
    site.write("content/guide/cut.png", "");
    std::fs::write(site.root().join("content/guide/cut.png"), bytes).unwrap();
    site.write(
        "content/guide/cut.md",
        "---\ntitle: Cut\n---\n\n```{figure}\nsrc: cut.png\nalt: A chart cut short\n```\n",
    );
    let errs = site.build_err();
    let d = errs
        .iter()
        .find(|d| d.message.contains("content/guide/cut.png cannot be used"))
        .unwrap_or_else(|| panic!("{errs:?}"));
    assert!(
        d.to_string().contains("content/guide/cut.md:6:"),
        "at the figure's src: {d}"
    );
}

#[test]
fn a_very_large_image_is_refused_with_its_size() {
    let site = Site::fixture("science/topics");
    // A PNG header that says 9000 x 5000 (45 megapixels): refused before
    // anything is decoded.
    let mut bytes = png(9, 5);
    bytes[16..20].copy_from_slice(&9000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&5000u32.to_be_bytes());
    // The header chunk's checksum, over its type and data.
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    std::fs::write(site.root().join("content/guide/huge.png"), bytes).unwrap();
    site.write(
        "content/guide/huge.md",
        "---\ntitle: Huge\n---\n\n![A huge scan](huge.png)\n",
    );
    let errs = site.build_err();
    let d = errs
        .iter()
        .find(|d| d.message.contains("huge.png"))
        .unwrap_or_else(|| panic!("{errs:?}"));
    assert!(
        d.message
            .contains("9000×5000 pixels (45 megapixels), over the limit of 40"),
        "{d}"
    );
    assert!(d.hint.as_deref().unwrap().contains("images.max_megapixels"));
    assert!(d.to_string().contains("content/guide/huge.md:5:1"));
}

/// GIF and SVG files are shown as they are, with the size their header
/// or root element gives: without it (as before) the page moved down when
/// each arrived (a layout shift) and none was loaded lazily. An SVG that
/// gives no size gets none. With resizing off, every image is as written.
#[test]
fn gif_and_svg_images_keep_their_size_and_without_resizing_all_stay_as_written() {
    let site = Site::fixture("science/topics");
    site.write(
        "content/guide/plain.md",
        "---\ntitle: Plain\n---\n\n![A drawing](drawing.svg)\n\n![A loop](loop.gif)\n\n![A chart](fluid.svg)\n",
    )
    .write(
        "content/guide/drawing.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>",
    )
    .write(
        "content/guide/fluid.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\"><rect width=\"10\" height=\"10\"/></svg>",
    );
    std::fs::write(
        site.root().join("content/guide/loop.gif"),
        b"GIF89a\x40\x01\xf0\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    )
    .unwrap();
    site.build_ok();
    let html = site.read("guide/plain/index.html");
    for img in [
        "<img src=\"/learn/guide/drawing.svg\" alt=\"A drawing\" width=\"10\" height=\"10\" loading=\"eager\" decoding=\"async\">",
        "<img src=\"/learn/guide/loop.gif\" alt=\"A loop\" width=\"320\" height=\"240\" loading=\"lazy\" decoding=\"async\">",
        "<img src=\"/learn/guide/fluid.svg\" alt=\"A chart\" loading=\"lazy\" decoding=\"async\">",
    ] {
        assert!(html.contains(img), "{img} in {html}");
    }
    // Shown as they are: no variants.
    assert_eq!(files(&site, "guide", "loop."), ["loop.gif"]);
    // A file named .gif that is none is a located error.
    site.write("content/guide/loop.gif", "not a gif");
    let errs = site.build_err();
    assert!(errs[0].message.contains("loop.gif"), "{errs:#?}");
    assert!(
        errs[0].to_string().contains("content/guide/plain.md:7:1"),
        "{errs:#?}"
    );
    site.write(
        "content/guide/plain.md",
        "---\ntitle: Plain\n---\n\n![A drawing](drawing.svg)\n",
    );
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}images:\n  resize: false\n"))
        .build_ok();
    let html = site.read("guide/sleep/index.html");
    assert!(html.contains("<img src=\"/learn/guide/clinic.jpg\" alt=\"A quiet treatment room with a couch and soft light\" title=\"The room\" />"), "{html}");
    assert!(!html.contains("srcset"));
    assert!(
        files(&site, "guide", "clinic.").len() == 1,
        "only the original"
    );
}

#[test]
fn image_settings_are_checked() {
    let site = Site::empty();
    crate::common::assert_site_yaml_errors(
        &site,
        &[
            (
                "images: {quality: 0}",
                "images.quality 0 is not between 1 and 100",
            ),
            ("images: {widths: [0]}", "images.widths must be"),
            ("images: {colour: red}", "colour"),
        ],
    );
}

#[test]
fn check_still_decodes_every_image_and_finds_a_broken_one() {
    let site = Site::fixture("science/topics");
    let mut bytes = png(900, 600);
    bytes.truncate(bytes.len() / 2);
    std::fs::write(site.root().join("content/guide/cut.png"), bytes).unwrap();
    site.write(
        "content/guide/cut.md",
        "---\ntitle: Cut\n---\n\n![A chart cut short](cut.png)\n",
    );
    let report = docent::check::run_at(site.root());
    let text = report.to_text();
    assert!(
        text.contains("content/guide/cut.png cannot be used"),
        "{text}"
    );
    assert!(text.contains("content/guide/cut.md:5:1"), "{text}");
    assert!(!site.public().exists(), "check writes nothing");
}

/// An image inside a heading (`## ![Logo](logo.png) Our clinic`) keeps its
/// alt text: it was taken as the heading's text only and the image
/// reported as having none. The heading stays phrasing content (valid
/// HTML: no block element inside an h2), and its text includes the alt.
#[test]
fn an_image_in_a_heading_keeps_its_alt_text() {
    let site = Site::empty();
    std::fs::write(site.root().join("content/logo.png"), png(40, 20)).unwrap();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\n## ![Clinic logo](logo.png) Our clinic\n\nText.\n\n## Second\n\nMore.\n",
    );
    site.build_ok();
    let html = site.read("index.html");
    let h2 = html
        .split("<h2")
        .nth(1)
        .and_then(|s| s.split("</h2>").next())
        .unwrap();
    assert!(h2.contains(r#"alt="Clinic logo""#), "{h2}");
    for block in ["<figure", "<div", "<p>"] {
        assert!(!h2.contains(block), "{block} inside a heading: {h2}");
    }
    assert!(h2.contains("Our clinic"), "{h2}");
}
