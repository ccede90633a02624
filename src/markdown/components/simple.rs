//! The small built-in components: takeaways, testimonial, figure, newsletter.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Block, Env, ListOr, Sink};
use crate::error::{Diagnostic, Kind};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TakeawaysFull {
    #[serde(default)]
    title: Option<String>,
    items: Vec<String>,
}

pub(super) fn takeaways(
    block: &Block<'_>,
    env: &Env<'_>,
    sink: &mut Sink<'_>,
) -> Result<Value, Diagnostic> {
    let (title, items) = match block.parse_list_or::<String, TakeawaysFull>()? {
        ListOr::List(items) => (None, items),
        ListOr::Map(f) => (f.title, f.items),
    };
    if items.is_empty() {
        return Err(block.error(
            Kind::MissingField,
            "{takeaways} has no items",
            "list the key points as `- text` lines",
        ));
    }
    let items = items
        .iter()
        .map(|i| block.md_inline(env, sink, i))
        .collect::<Result<Vec<_>, _>>()?;
    let title = title.unwrap_or_else(|| {
        env.site.languages[block.lang]
            .strings
            .get("key_takeaways")
            .to_string()
    });
    Ok(json!({ "title": title, "items": items }))
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct Testimonial {
    #[serde(default)]
    quote: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    age: Option<u32>,
    /// The year the words were published, so an age reads "at the time".
    #[serde(default)]
    year: Option<u32>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    source: Option<String>,
    /// What kind of source it is, when readers should know (a trial
    /// site's press office is not independent).
    #[serde(default)]
    source_note: Option<String>,
    #[serde(default, rename = "ref")]
    reference: Option<String>,
}

pub(super) fn testimonial(
    block: &Block<'_>,
    env: &Env<'_>,
    sink: &mut Sink<'_>,
) -> Result<Value, Diagnostic> {
    let mut t: Testimonial = block.parse()?;
    if let Some(id) = t.reference.clone() {
        let (_, file) = super::data_file(block, env, "testimonials.yaml")?;
        let entry = file.value.get(&id).cloned().ok_or_else(|| {
            let keys: Vec<&str> = file
                .value
                .as_object()
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let hint = match crate::util::closest(&id, keys.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("known testimonials: {}", keys.join(", ")),
            };
            block.error_at_key(
                "ref",
                &id,
                Kind::MissingField,
                format!("no testimonial `{id}` in {}", file.shown_path.display()),
                hint,
            )
        })?;
        let base: Testimonial = serde_json::from_value(entry).map_err(|e| {
            Diagnostic::new(
                Kind::InvalidValue,
                format!(
                    "testimonial `{id}`: {}",
                    crate::yaml::humanize(&e.to_string())
                ),
            )
            .file(&file.shown_path)
            .hint("each testimonial has quote, name and source, and may have age, year, role and source_note")
        })?;
        t = Testimonial {
            quote: t.quote.or(base.quote),
            name: t.name.or(base.name),
            age: t.age.or(base.age),
            year: t.year.or(base.year),
            role: t.role.or(base.role),
            source: t.source.or(base.source),
            source_note: t.source_note.or(base.source_note),
            reference: None,
        };
    }
    let quote = t.quote.ok_or_else(|| {
        block.error(
            Kind::MissingField,
            "{testimonial} has no `quote`",
            "add `quote:` with the excerpt",
        )
    })?;
    let name = t.name.ok_or_else(|| {
        block.error(
            Kind::MissingField,
            "{testimonial} has no `name`",
            "add `name:`: testimonials are attributed",
        )
    })?;
    let source = t.source.ok_or_else(|| {
        block.error(
            Kind::MissingField,
            "{testimonial} has no `source`",
            "add `source:` with the URL (or citation key) the excerpt comes from",
        )
    })?;
    let (source_url, source_label, source_cite) = match source.strip_prefix('@') {
        Some(key) => {
            let at = block.error_at(&source, Kind::MissingField, "", "");
            let cite = sink.cite(vec![crate::markdown::citations::CiteRef {
                key: key.to_string(),
                locator: None,
                at,
                offset: block.offset_of(&source),
                narrative: false,
            }]);
            (None, None, Some(cite))
        }
        None if (source.starts_with("https://") || source.starts_with("http://"))
            && let Some(why) = crate::url::unreachable(&source) =>
        {
            return Err(block.error_at_key(
                "source",
                &source,
                Kind::InvalidValue,
                format!("testimonial source `{source}` is not an address a browser can follow: {why}"),
                "write the address in full (`https://example.org/story`), or @key from the bibliography",
            ));
        }
        None if source.starts_with("https://") || source.starts_with("http://") => {
            let host = source
                .split('/')
                .nth(2)
                .unwrap_or(&source)
                .trim_start_matches("www.")
                .to_string();
            let url = crate::url::valid_href(&source).into_owned();
            (Some(url), Some(host), None)
        }
        None => {
            return Err(block.error_at_key(
                "source",
                &source,
                Kind::InvalidValue,
                format!("testimonial source `{source}` is not a URL or @citation-key"),
                "use https://… or @key from the bibliography",
            ));
        }
    };
    Ok(json!({
        "quote": block.md(env, sink, &quote)?,
        "name": name,
        "age": t.age,
        "year": t.year,
        "role": t.role,
        "source_note": t.source_note,
        "source_url": source_url,
        "source_label": source_label,
        "source_cite": source_cite,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Figure {
    src: String,
    #[serde(default)]
    alt: Option<String>,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    credit: Option<String>,
    #[serde(default)]
    width: Option<u32>,
    #[serde(default)]
    height: Option<u32>,
}

pub(super) fn figure(
    block: &Block<'_>,
    env: &Env<'_>,
    sink: &mut Sink<'_>,
) -> Result<Value, Diagnostic> {
    let f: Figure = block.parse()?;
    let alt = match f.alt.as_deref().map(str::trim) {
        Some(a) if !a.is_empty() => a.to_string(),
        _ => {
            return Err(block.error(
                Kind::MissingField,
                format!("{{figure}} `{}` has no alt text", f.src),
                "add `alt:` describing what the image shows for people who cannot see it",
            ));
        }
    };
    if f.src.contains("://") || f.src.starts_with("//") {
        return Err(block.error_at_key(
            "src",
            &f.src,
            Kind::InvalidValue,
            format!("figure image `{}` is on another host", f.src),
            "copy the image beside the page: docent sites make no requests to other hosts",
        ));
    }
    let rel = super::super::links::join_relative(block.page_dir(), &f.src).ok_or_else(|| {
        block.error_at_key(
            "src",
            &f.src,
            Kind::PathEscape,
            format!("`{}` leads outside content/", f.src),
            "put the image inside content/",
        )
    })?;
    if !env.site.by_asset.contains_key(&rel) {
        return Err(block.error_at_key(
            "src",
            &f.src,
            Kind::MissingField,
            format!("image `{}` not found (content/{rel})", f.src),
            "check the file name; images sit beside the page or elsewhere in content/",
        ));
    }
    let src = crate::site::join_url(
        env.site.config.base_path(),
        &format!("/{}", crate::url::encode_path(&rel)),
    );
    let first = *sink.images_shown == 0;
    *sink.images_shown += 1;
    let image = match (env.images, env.site.by_asset.get(&rel)) {
        (Some(images), Some(&asset)) => {
            let at = || block.error_at_key("src", &f.src, Kind::InvalidValue, String::new(), "");
            let plan = match images.plan(env.site, asset, at) {
                Some(Ok(plan)) => {
                    sink.variants
                        .extend(plan.variants.iter().map(|v| v.out_path.clone()));
                    Some(plan)
                }
                Some(Err(why)) => return Err(crate::images::image_error(at(), &rel, &why)),
                None => None,
            };
            let mut ctx = images.context(
                env.site,
                plan.as_deref(),
                src.clone(),
                alt.clone(),
                None,
                first,
            );
            // Sizes the editor gave win over the file's own (the other
            // one follows the file's shape).
            let scale = |given: u32, of: Option<u32>, to: Option<u32>| {
                of.zip(to).map(|(of, to)| {
                    (u64::from(to) * u64::from(given) / u64::from(of.max(1))) as u32
                })
            };
            match (f.width, f.height) {
                (Some(w), Some(h)) => (ctx.width, ctx.height) = (Some(w), Some(h)),
                (Some(w), None) => {
                    (ctx.width, ctx.height) = (Some(w), scale(w, ctx.width, ctx.height))
                }
                (None, Some(h)) => {
                    (ctx.width, ctx.height) = (scale(h, ctx.height, ctx.width), Some(h))
                }
                (None, None) => {}
            }
            Some(ctx)
        }
        _ => None,
    };
    Ok(json!({
        "src": src,
        "image": image,
        "alt": alt,
        "caption": f.caption.as_deref().map(|c| block.md_inline(env, sink, c)).transpose()?,
        "credit": f.credit.as_deref().map(|c| block.md_inline(env, sink, c)).transpose()?,
        "width": f.width,
        "height": f.height,
    }))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NewsletterBlock {
    #[serde(default)]
    id: Option<String>,
}

pub(super) fn newsletter(block: &Block<'_>, env: &Env<'_>) -> Result<Value, Diagnostic> {
    let b: NewsletterBlock = block.parse()?;
    let Some(n) = env.site.newsletter(block.lang) else {
        return Err(block.error(
            Kind::MissingField,
            "{newsletter} needs `newsletter:` in site.yaml",
            "configure the provider's form under `newsletter:` in site.yaml",
        ));
    };
    let id =
        b.id.unwrap_or_else(|| format!("newsletter-inline-{}", block.fence_line));
    Ok(json!({ "n": n, "id": id }))
}
