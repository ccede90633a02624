//! Responsive images: for each JPEG, PNG or WebP file a page shows (in
//! Markdown or a `{figure}`), its size and the resized variants the HTML
//! offers (`srcset`, and WebP beside PNG), decided when a page first
//! shows it; then, after the pages, the variants themselves, made in
//! parallel and kept between builds.
//!
//! A variant's file name carries a hash of the source file and of the
//! settings that shape it (`pic.1f2e3d4c5b6a7980.480w.webp`), so a name
//! found in the last build's output (with the size the rebuild cache
//! recorded) is that same image, and is kept instead of made again.
//!
//! Which formats: a JPEG gets JPEG variants and lossy WebP ones (libwebp,
//! at the same quality: about a third smaller for photos); a PNG gets PNG
//! variants and lossless WebP ones (the `image` crate's encoder), which are
//! smaller for the diagrams and screenshots PNGs hold; a WebP gets WebP
//! variants. WebP is offered first, the source's format as the fallback.
//! Images are never made wider than the original, which is itself the
//! largest candidate. A GIF or SVG is shown as it is, with the size its
//! header or root element gives (so the page does not move when it
//! arrives) and loaded lazily like the others.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::config::ImagesConfig;
use crate::error::{Diagnostic, Kind};
use crate::site::Site;

/// The image formats whose size docent reads: JPEG, PNG and WebP, which
/// it also resizes, and GIF and SVG, shown as they are but with their
/// size, so the page does not move when they arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum Format {
    Jpeg,
    Png,
    Webp,
    Gif,
    Svg,
}

impl Format {
    /// By file name (other images, AVIF or BMP, are left as they are).
    pub(crate) fn of_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            "gif" => Some(Format::Gif),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    /// Whether docent makes resized variants of it.
    fn resized(self) -> bool {
        matches!(self, Format::Jpeg | Format::Png | Format::Webp)
    }

    fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Gif => "gif",
            Format::Svg => "svg",
        }
    }

    pub(crate) fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Gif => "image/gif",
            Format::Svg => "image/svg+xml",
        }
    }
}

/// The size a GIF's header gives.
fn gif_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) || bytes.len() < 10 {
        return None;
    }
    let w = u16::from_le_bytes([bytes[6], bytes[7]]);
    let h = u16::from_le_bytes([bytes[8], bytes[9]]);
    (w > 0 && h > 0).then(|| (u32::from(w), u32::from(h)))
}

/// The size an SVG's root element gives, in CSS pixels: its `width` and
/// `height` when both are numbers (or `px`), else its `viewBox`'s; `None`
/// when it gives neither (`width="100%"` and no `viewBox`).
fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| -> Option<&str> {
        let mut from = 0;
        while let Some(i) = tag[from..].find(name).map(|i| from + i) {
            from = i + name.len();
            let spaced = tag[..i].ends_with(|c: char| c.is_ascii_whitespace());
            let Some(value) = tag[from..].trim_start().strip_prefix('=') else {
                continue;
            };
            let value = value.trim_start();
            let quote = value.chars().next().filter(|q| matches!(q, '"' | '\''))?;
            let value = &value[1..];
            if spaced {
                return value.find(quote).map(|end| &value[..end]);
            }
        }
        None
    };
    let px = |v: &str| -> Option<f64> {
        let v = v.trim();
        let n: f64 = v.strip_suffix("px").unwrap_or(v).trim().parse().ok()?;
        (n.is_finite() && n > 0.0).then_some(n)
    };
    let (w, h) = match (attr("width").and_then(px), attr("height").and_then(px)) {
        (Some(w), Some(h)) => (w, h),
        _ => {
            let view: Vec<f64> = attr("viewBox")?
                .split(|c: char| c.is_ascii_whitespace() || c == ',')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().ok())
                .collect::<Option<_>>()?;
            match view[..] {
                [_, _, w, h] if w.is_finite() && h.is_finite() => (w, h),
                _ => return None,
            }
        }
    };
    let ok = |n: f64| (0.5..1e6).contains(&n);
    (ok(w) && ok(h)).then(|| (w.round() as u32, h.round() as u32))
}

/// The plan of an image shown as it is (GIF, SVG): its size, no variants;
/// a size of 0 when the file gives none (an SVG sized by its page).
fn as_is_plan(
    asset: usize,
    path: &Path,
    format: Format,
    first_use: Diagnostic,
) -> Result<Arc<Plan>, String> {
    use std::io::Read;
    // The size is in the first bytes (an SVG's root element near the top).
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .map_err(|e| format!("cannot read it: {e}"))?;
    let (width, height) = match format {
        Format::Gif => gif_size(&head).ok_or("it is not a readable GIF image")?,
        _ => svg_size(&String::from_utf8_lossy(&head)).unwrap_or((0, 0)),
    };
    Ok(Arc::new(Plan {
        asset,
        width,
        height,
        format,
        variants: Vec::new(),
        first_use,
    }))
}

/// One resized copy of an image.
#[derive(Debug, Clone)]
// Without the `images` feature nothing is encoded: its size goes unread.
#[cfg_attr(not(feature = "images"), allow(dead_code))]
pub(crate) struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Lossy compression (WebP copies of a JPEG).
    pub lossy: bool,
    /// Output file, relative to the output folder.
    pub out_path: String,
}

/// What a page needs to show an image: its size and its variants.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The asset (index into `Site::assets`).
    pub asset: usize,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub variants: Vec<Variant>,
    /// Where a page first shows it, for errors found when it is decoded.
    pub first_use: Diagnostic,
}

/// The images of one build: plans made as pages ask, variants made after.
pub(crate) struct Images {
    settings: ImagesConfig,
    /// Per asset, its plan once a page has asked (or why it cannot be shown).
    plans: Vec<OnceLock<Result<Arc<Plan>, String>>>,
}

/// How a page shows one image, for the `image.html` template.
#[derive(Debug, Serialize)]
pub(crate) struct ImageCtx {
    pub src: String,
    pub alt: String,
    pub title: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Candidates in the fallback format (`url 480w, …`), or empty.
    pub srcset: String,
    pub sizes: String,
    /// Modern formats offered first: `{type, srcset}`.
    pub sources: Vec<Source>,
    /// `lazy` for all but a page's first image, `eager` for that one.
    pub loading: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct Source {
    #[serde(rename = "type")]
    pub mime: &'static str,
    pub srcset: String,
}

impl Images {
    pub(crate) fn new(site: &Site) -> Images {
        Images {
            settings: site.config.images.clone(),
            plans: (0..site.assets.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Whether docent resizes images in this build.
    pub(crate) fn enabled(&self) -> bool {
        cfg!(feature = "images") && self.settings.resize
    }

    /// Whether docent resizes images for `site`.
    pub(crate) fn new_enabled(site: &Site) -> bool {
        cfg!(feature = "images") && site.config.images.resize
    }

    /// The plan for asset `asset` (content-relative path `rel`), shown
    /// first at `first_use` (a located diagnostic with no message yet).
    /// `None` for files docent does not resize; an error message when the
    /// file cannot be read as an image or is too large.
    pub(crate) fn plan(
        &self,
        site: &Site,
        asset: usize,
        first_use: impl FnOnce() -> Diagnostic,
    ) -> Option<Result<Arc<Plan>, String>> {
        if !self.enabled() {
            return None;
        }
        let a = site.assets.get(asset)?;
        let format = Format::of_path(&a.out_path)?;
        let slot = self.plans.get(asset)?;
        Some(
            slot.get_or_init(|| {
                make_plan(
                    &self.settings,
                    asset,
                    &a.source,
                    &a.out_path,
                    format,
                    first_use(),
                )
            })
            .clone(),
        )
    }

    /// Every plan a page asked for, in asset order.
    fn used(&self) -> impl Iterator<Item = &Arc<Plan>> {
        self.plans
            .iter()
            .filter_map(|p| p.get().and_then(|r| r.as_ref().ok()))
    }

    /// How a page shows the image of `plan` at URL `src`.
    pub(crate) fn context(
        &self,
        site: &Site,
        plan: Option<&Plan>,
        src: String,
        alt: String,
        title: Option<String>,
        first_on_page: bool,
    ) -> ImageCtx {
        let url = |out: &str| {
            crate::site::join_url(
                site.config.base_path(),
                &format!("/{}", crate::url::encode_path(out)),
            )
        };
        let mut ctx = ImageCtx {
            src,
            alt,
            title,
            // 0: an SVG that gives no size.
            width: plan.map(|p| p.width).filter(|&w| w > 0),
            height: plan.map(|p| p.height).filter(|&h| h > 0),
            srcset: String::new(),
            sizes: self.settings.sizes.clone(),
            sources: Vec::new(),
            loading: if first_on_page { "eager" } else { "lazy" },
        };
        let Some(plan) = plan else {
            return ctx;
        };
        let set = |format: Format, with_original: bool| {
            let mut parts: Vec<String> = plan
                .variants
                .iter()
                .filter(|v| v.format == format)
                .map(|v| format!("{} {}w", url(&v.out_path), v.width))
                .collect();
            if with_original {
                parts.push(format!("{} {}w", ctx.src, plan.width));
            }
            parts.join(", ")
        };
        if plan.variants.iter().any(|v| v.format == plan.format) {
            ctx.srcset = set(plan.format, true);
        }
        if plan.format != Format::Webp && plan.variants.iter().any(|v| v.format == Format::Webp) {
            ctx.sources.push(Source {
                mime: Format::Webp.mime(),
                srcset: set(Format::Webp, false),
            });
        }
        ctx
    }
}

/// The size of the image in `path` and the variants it gets; a message
/// when it cannot be read or is too large.
fn make_plan(
    settings: &ImagesConfig,
    asset: usize,
    path: &Path,
    out_path: &str,
    format: Format,
    first_use: Diagnostic,
) -> Result<Arc<Plan>, String> {
    if !format.resized() {
        return as_is_plan(asset, path, format, first_use);
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    let (width, height) = codec::dimensions(&bytes)?;
    let megapixels = f64::from(width) * f64::from(height) / 1e6;
    if megapixels > f64::from(settings.max_megapixels) {
        return Err(format!(
            "it is {width}×{height} pixels ({megapixels:.0} megapixels), over the limit of {} megapixels",
            settings.max_megapixels
        ));
    }
    let mut h = crate::fingerprint::hasher();
    h.update(&bytes);
    h.update(settings.key().as_bytes());
    let hash = format!("{:016x}", h.digest());
    let stem = out_path.rsplit_once('.').map_or(out_path, |(s, _)| s);
    let mut variants = Vec::new();
    let formats: &[Format] = match format {
        Format::Png => &[Format::Png, Format::Webp],
        Format::Jpeg => &[Format::Jpeg, Format::Webp],
        Format::Webp => &[Format::Webp],
        Format::Gif | Format::Svg => &[],
    };
    for &f in formats {
        let mut widths: Vec<u32> = settings
            .widths
            .iter()
            .copied()
            .filter(|&w| w > 0 && w < width)
            .collect();
        // The original's own size in a modern format it is not in.
        if f != format {
            widths.push(width);
        }
        widths.sort_unstable();
        widths.dedup();
        for w in widths {
            let h = (u64::from(height) * u64::from(w) / u64::from(width)).max(1) as u32;
            variants.push(Variant {
                width: w,
                height: h,
                format: f,
                // A photo's WebP is lossy, like its JPEG; a PNG's is not.
                lossy: f == Format::Webp && format == Format::Jpeg,
                out_path: format!("{stem}.{hash}.{w}w.{}", f.ext()),
            });
        }
    }
    Ok(Arc::new(Plan {
        asset,
        width,
        height,
        format,
        variants,
        first_use,
    }))
}

/// One variant to write: its bytes, made now, or `None` to keep the file
/// the last build wrote.
pub(crate) struct Made {
    pub out_path: String,
    pub bytes: Option<Vec<u8>>,
}

/// Make every variant a page asked for, in parallel (each source decoded
/// once); a variant `keep` says the last build's output already has is
/// kept. Errors are located where a page first shows the image. With
/// `encode` false (`docent check`, which writes nothing) every image is
/// only decoded, to find the ones that cannot be.
pub(crate) fn make(
    images: &Images,
    site: &Site,
    keep: &(dyn Fn(&str) -> bool + Sync),
    encode: bool,
) -> Result<Vec<Made>, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let plans: Vec<&Arc<Plan>> = images.used().collect();
    let results: Vec<Result<Vec<Made>, Diagnostic>> = plans
        .par_iter()
        .map(|plan| {
            // Shown as it is: nothing to make, nothing to decode.
            if !plan.format.resized() {
                return Ok(Vec::new());
            }
            let (kept, todo): (Vec<&Variant>, Vec<&Variant>) =
                plan.variants.iter().partition(|v| keep(&v.out_path));
            let mut out: Vec<Made> = kept
                .into_iter()
                .map(|v| Made {
                    out_path: v.out_path.clone(),
                    bytes: None,
                })
                .collect();
            if todo.is_empty() && encode {
                return Ok(out);
            }
            let todo = if encode { todo } else { Vec::new() };
            let source = &site.assets[plan.asset].source;
            let made = std::fs::read(source)
                .map_err(|e| format!("cannot read it: {e}"))
                .and_then(|bytes| codec::variants(&bytes, &todo, &images.settings));
            match made {
                Ok(files) => {
                    out.extend(todo.iter().zip(files).map(|(v, bytes)| Made {
                        out_path: v.out_path.clone(),
                        bytes: Some(bytes),
                    }));
                    Ok(out)
                }
                Err(why) => Err(image_error(
                    plan.first_use.clone(),
                    &site.assets[plan.asset].out_path,
                    &why,
                )),
            }
        })
        .collect();
    let mut made = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(mut m) => made.append(&mut m),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(made)
    } else {
        Err(errors)
    }
}

/// The error for image `rel` that cannot be shown, at `at` (where a page
/// shows it).
pub(crate) fn image_error(at: Diagnostic, rel: &str, why: &str) -> Diagnostic {
    let mut d = at;
    d.kind = Kind::InvalidValue;
    d.message = format!("image content/{rel} cannot be used: {why}");
    d.hint = Some(if why.contains("megapixels") {
        "resize it before adding it (3,000 pixels wide is plenty for a web page), or raise `images.max_megapixels` in site.yaml".into()
    } else {
        "open and save it again with an image editor, or replace it; docent reads JPEG, PNG and WebP".into()
    });
    d
}

#[cfg(feature = "images")]
mod codec {
    //! Decoding, resizing and encoding, with the `image` crate.

    use std::io::Cursor;

    use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

    use super::{Format, Variant};
    use crate::config::ImagesConfig;

    fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, String> {
        ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| format!("cannot read it: {e}"))
    }

    /// Width and height as shown (after the EXIF orientation), from the
    /// header only.
    pub(super) fn dimensions(bytes: &[u8]) -> Result<(u32, u32), String> {
        let mut decoder = reader(bytes)?
            .into_decoder()
            .map_err(|e| format!("it is not a readable image ({e})"))?;
        let (w, h) = decoder.dimensions();
        let turned = decoder.orientation().is_ok_and(|o| {
            use image::metadata::Orientation::*;
            matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
        });
        if w == 0 || h == 0 {
            return Err("it has no pixels".into());
        }
        Ok(if turned { (h, w) } else { (w, h) })
    }

    /// Each of `variants` of the image in `bytes`, encoded.
    pub(super) fn variants(
        bytes: &[u8],
        variants: &[&Variant],
        settings: &ImagesConfig,
    ) -> Result<Vec<Vec<u8>>, String> {
        let mut limits = Limits::default();
        // Room for the decoded pixels of an image at the size limit.
        limits.max_alloc = Some(u64::from(settings.max_megapixels) * 1_000_000 * 8);
        let mut r = reader(bytes)?;
        r.limits(limits);
        let mut decoder = r
            .into_decoder()
            .map_err(|e| format!("it is not a readable image ({e})"))?;
        let orientation = decoder.orientation().ok();
        let mut img = DynamicImage::from_decoder(decoder)
            .map_err(|e| format!("it cannot be decoded ({e})"))?;
        if let Some(o) = orientation {
            img.apply_orientation(o);
        }
        // 8 bits a channel, with alpha only when the image has it: what
        // the encoders and the resizer take.
        let img = if img.color().has_alpha() {
            DynamicImage::ImageRgba8(img.into_rgba8())
        } else {
            DynamicImage::ImageRgb8(img.into_rgb8())
        };
        let mut resizer = fast_image_resize::Resizer::new();
        let options = fast_image_resize::ResizeOptions::new().resize_alg(
            fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::CatmullRom),
        );
        variants
            .iter()
            .map(|v| {
                if v.width == img.width() {
                    return encode(&img, v, settings.quality);
                }
                let mut sized = DynamicImage::new(v.width, v.height, img.color());
                resizer
                    .resize(&img, &mut sized, &options)
                    .map_err(|e| format!("it cannot be resized ({e})"))?;
                encode(&sized, v, settings.quality)
            })
            .collect()
    }

    fn encode(img: &DynamicImage, v: &Variant, quality: u8) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let fail = |e: image::ImageError| format!("it cannot be encoded ({e})");
        if v.lossy {
            let encoder = match img {
                DynamicImage::ImageRgba8(_) => {
                    webp::Encoder::from_rgba(img.as_bytes(), img.width(), img.height())
                }
                _ => webp::Encoder::from_rgb(img.as_bytes(), img.width(), img.height()),
            };
            let mut config = webp::WebPConfig::new()
                .map_err(|()| "libwebp has no default settings".to_string())?;
            config.quality = f32::from(quality);
            // Speed 2 of 0-6: libwebp's default (4) took five times as
            // long for files a few percent smaller.
            config.method = 2;
            let bytes = encoder
                .encode_advanced(&config)
                .map_err(|e| format!("it cannot be encoded as WebP ({e:?})"))?;
            return Ok(bytes.to_vec());
        }
        match v.format {
            Format::Jpeg => {
                // JPEG has no alpha.
                let rgb;
                let img = match img {
                    DynamicImage::ImageRgb8(_) => img,
                    _ => {
                        rgb = DynamicImage::ImageRgb8(img.to_rgb8());
                        &rgb
                    }
                };
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                    .encode(
                        img.as_bytes(),
                        img.width(),
                        img.height(),
                        image::ExtendedColorType::Rgb8,
                    )
                    .map_err(fail)?;
            }
            Format::Png => {
                img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
                    .map_err(fail)?;
            }
            Format::Webp => {
                img.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut out))
                    .map_err(fail)?;
            }
            Format::Gif | Format::Svg => {
                return Err("docent makes no GIF or SVG variants".into());
            }
        }
        Ok(out)
    }
}

#[cfg(not(feature = "images"))]
mod codec {
    //! Built without the `images` feature: never called (`enabled` is false).

    use super::Variant;
    use crate::config::ImagesConfig;

    pub(super) fn dimensions(_: &[u8]) -> Result<(u32, u32), String> {
        Err("docent was built without image support".into())
    }

    pub(super) fn variants(
        _: &[u8],
        _: &[&Variant],
        _: &ImagesConfig,
    ) -> Result<Vec<Vec<u8>>, String> {
        Err("docent was built without image support".into())
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn gif_and_svg_sizes_come_from_their_headers() {
        let gif = b"GIF89a\x40\x01\xf0\x00\x80\x00\x00";
        assert_eq!(gif_size(gif), Some((320, 240)));
        assert_eq!(gif_size(b"GIF89a\x00\x00\x01\x00"), None);
        assert_eq!(gif_size(b"PNG"), None);
        let svg = |root: &str| {
            svg_size(&format!(
                "<?xml version=\"1.0\"?>\n<!-- c -->\n{root}<rect/></svg>"
            ))
        };
        assert_eq!(
            svg(r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80px">"#),
            Some((120, 80))
        );
        assert_eq!(
            svg(r#"<svg viewBox="0 0 640.4 360" stroke-width="2">"#),
            Some((640, 360))
        );
        assert_eq!(
            svg(r#"<svg width='100%' viewBox="0,0,300,150">"#),
            Some((300, 150))
        );
        // `stroke-width` is not `width`; no size at all is none.
        assert_eq!(svg(r#"<svg stroke-width="3" height="10">"#), None);
        assert_eq!(svg(r#"<svg width="100%">"#), None);
        assert_eq!(svg(r#"<svg viewBox="0 0 -5 10">"#), None);
        assert_eq!(svg("<svg width=\"1e300\" height=\"1\">"), None);
        assert_eq!(svg_size("not svg"), None);
        assert_eq!(svg_size("<svg width=\"é"), None);
    }
}

#[cfg(all(test, feature = "images"))]
mod tests {
    use super::*;

    fn plan_for(name: &str, w: u32, h: u32, widths: Vec<u32>) -> Plan {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        image::RgbImage::new(w, h).save(&path).unwrap();
        let settings = ImagesConfig {
            widths,
            ..ImagesConfig::default()
        };
        let at = Diagnostic::new(Kind::InvalidValue, "");
        Arc::try_unwrap(
            make_plan(
                &settings,
                0,
                &path,
                &format!("g/{name}"),
                Format::of_path(name).unwrap(),
                at,
            )
            .unwrap(),
        )
        .unwrap()
    }

    fn names(p: &Plan) -> Vec<String> {
        p.variants
            .iter()
            .map(|v| format!("{}x{}.{}", v.width, v.height, v.format.ext()))
            .collect()
    }

    #[test]
    fn variants_are_narrower_than_the_original_and_png_gets_webp() {
        let jpg = plan_for("a.jpg", 1000, 500, vec![1600, 480, 800, 480]);
        assert_eq!((jpg.width, jpg.height), (1000, 500));
        assert_eq!(
            names(&jpg),
            [
                "480x240.jpg",
                "800x400.jpg",
                "480x240.webp",
                "800x400.webp",
                "1000x500.webp"
            ]
        );
        assert!(
            jpg.variants
                .iter()
                .all(|v| v.lossy == (v.format == Format::Webp))
        );
        let png = plan_for("b.png", 1000, 500, vec![480]);
        assert_eq!(
            names(&png),
            ["480x240.png", "480x240.webp", "1000x500.webp"]
        );
        // Names: the source's path, a hash of its bytes and the settings, the width.
        let v = &png.variants[0].out_path;
        assert!(
            v.starts_with("g/b.")
                && v.ends_with(".480w.png")
                && v.len() == "g/b.".len() + 16 + ".480w.png".len(),
            "{v}"
        );
        // An image narrower than every width only gets the modern format.
        let small = plan_for("c.png", 300, 200, vec![480]);
        assert_eq!(names(&small), ["300x200.webp"]);
        assert_eq!(
            names(&plan_for("d.webp", 300, 200, vec![100])),
            ["100x66.webp"]
        );
    }
}
