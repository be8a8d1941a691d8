//! Small, valid synthetic media documents for egress: HLS multivariant and media playlists,
//! DASH MPDs, Smooth Streaming manifests and segments, all derived from the endpoint's
//! configuration and a live edge on the clock (so consecutive requests advance).

use super::model::{EndpointConfig, OriginEndpoint};

/// One served file.
pub struct Document {
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

const HLS_TYPE: &str = "application/vnd.apple.mpegurl";

fn segment_seconds(c: &EndpointConfig) -> u64 {
    c.segment.segment_duration_seconds.unwrap_or(6).max(1) as u64
}

fn segment_name(c: &EndpointConfig) -> &str {
    c.segment.segment_name.as_deref().unwrap_or("segment")
}

/// The file `file` of endpoint `e` at wall-clock time `now`, if the endpoint has it.
pub fn document(e: &OriginEndpoint, file: &str, now: f64) -> Option<Document> {
    let c = &e.config;
    let cmaf = c.container_type == "CMAF";
    for m in c.hls_manifests.iter().chain(&c.low_latency_hls_manifests) {
        let child = m.child_manifest_name.as_deref().unwrap_or(&m.manifest_name);
        let window = m.manifest_window_seconds.unwrap_or(60).max(1) as u64;
        if file == format!("{}.m3u8", m.manifest_name) {
            return Some(Document {
                content_type: HLS_TYPE,
                body: multivariant(child).into_bytes(),
            });
        }
        if file == format!("{child}_1.m3u8") {
            return Some(Document {
                content_type: HLS_TYPE,
                body: media_playlist(c, window, now).into_bytes(),
            });
        }
    }
    for m in &c.dash_manifests {
        if file == format!("{}.mpd", m.manifest_name) {
            let window = m.manifest_window_seconds.unwrap_or(60).max(1) as u64;
            return Some(Document {
                content_type: "application/dash+xml",
                body: mpd(c, window, now).into_bytes(),
            });
        }
    }
    for m in &c.mss_manifests {
        if file == format!("{}.ism/Manifest", m.manifest_name) {
            return Some(Document {
                content_type: "text/xml",
                body: smooth(c).into_bytes(),
            });
        }
    }
    segment(c, file, cmaf)
}

fn multivariant(child: &str) -> String {
    format!(
        "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n\
         #EXT-X-STREAM-INF:BANDWIDTH=2200000,AVERAGE-BANDWIDTH=2000000,RESOLUTION=1280x720,\
         FRAME-RATE=30.000,CODECS=\"avc1.64001f,mp4a.40.2\"\n{child}_1.m3u8\n"
    )
}

fn media_playlist(c: &EndpointConfig, window: u64, now: f64) -> String {
    let d = segment_seconds(c);
    let count = (window / d).clamp(1, 10);
    let last = (now.max(0.0) as u64) / d;
    let first = last.saturating_sub(count - 1);
    let name = segment_name(c);
    let cmaf = c.container_type == "CMAF";
    let mut out = format!(
        "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:{d}\n#EXT-X-MEDIA-SEQUENCE:{first}\n"
    );
    if cmaf {
        out.push_str(&format!("#EXT-X-MAP:URI=\"{name}_1_init.mp4\"\n"));
    }
    let ext = if cmaf { "mp4" } else { "ts" };
    for n in first..=last {
        out.push_str(&format!("#EXTINF:{d}.000,\n{name}_1_{n}.{ext}\n"));
    }
    out
}

fn mpd(c: &EndpointConfig, window: u64, now: f64) -> String {
    let d = segment_seconds(c);
    let name = segment_name(c);
    let start = (now.max(0.0) as u64) / d * d;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" profiles="urn:mpeg:dash:profile:isoff-live:2011" availabilityStartTime="1970-01-01T00:00:00Z" publishTime="1970-01-01T00:00:00Z" minimumUpdatePeriod="PT{d}S" minBufferTime="PT{d}S" timeShiftBufferDepth="PT{window}S">
  <Period id="0" start="PT0S">
    <AdaptationSet mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">
      <SegmentTemplate timescale="1" media="{name}_1_$Number$.mp4" initialization="{name}_1_init.mp4" duration="{d}" startNumber="0" presentationTimeOffset="0"/>
      <Representation id="1" bandwidth="2000000" codecs="avc1.64001f" width="1280" height="720" frameRate="30"/>
    </AdaptationSet>
  </Period>
  <!-- live edge {start} -->
</MPD>
"#
    )
}

fn smooth(c: &EndpointConfig) -> String {
    let d = segment_seconds(c) * 10_000_000;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<SmoothStreamingMedia MajorVersion="2" MinorVersion="2" TimeScale="10000000" Duration="0" IsLive="TRUE" LookAheadFragmentCount="2" DVRWindowLength="0">
  <StreamIndex Type="video" Name="video" Chunks="0" QualityLevels="1" Url="QualityLevels({{bitrate}})/Fragments(video={{start time}})">
    <QualityLevel Index="0" Bitrate="2000000" FourCC="H264" MaxWidth="1280" MaxHeight="720" CodecPrivateData=""/>
    <c t="0" d="{d}"/>
  </StreamIndex>
</SmoothStreamingMedia>
"#
    )
}

/// `NAME_1_N.ts`, `NAME_1_N.mp4`, `NAME_1_init.mp4` (and Smooth fragments).
fn segment(c: &EndpointConfig, file: &str, cmaf: bool) -> Option<Document> {
    let name = segment_name(c);
    let rest = file.strip_prefix(name)?.strip_prefix("_1_")?;
    if let Some(n) = rest.strip_suffix(".ts") {
        n.parse::<u64>().ok().filter(|_| !cmaf)?;
        // One MPEG-TS null packet: sync byte, PID 0x1FFF, payload only.
        let mut packet = vec![0x47, 0x1F, 0xFF, 0x10];
        packet.resize(188, 0xFF);
        return Some(Document {
            content_type: "video/MP2T",
            body: packet,
        });
    }
    let n = rest.strip_suffix(".mp4").filter(|_| cmaf)?;
    if n != "init" {
        n.parse::<u64>().ok()?;
    }
    // An ISO BMFF box: `ftyp` for the init segment, `styp` for media segments.
    let kind: &[u8; 4] = if n == "init" { b"ftyp" } else { b"styp" };
    let mut body = 16u32.to_be_bytes().to_vec();
    body.extend_from_slice(kind);
    body.extend_from_slice(b"iso6");
    body.extend_from_slice(&0u32.to_be_bytes());
    Some(Document {
        content_type: "video/mp4",
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::model::HlsManifest;

    fn endpoint(container: &str) -> OriginEndpoint {
        OriginEndpoint {
            group: "g".into(),
            channel: "c".into(),
            name: "e".into(),
            config: EndpointConfig {
                container_type: container.into(),
                hls_manifests: vec![HlsManifest {
                    manifest_name: "index".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
            created_at: 0.0,
            modified_at: 0.0,
            reset_at: None,
            etag: "x".into(),
            cdn_auth: None,
        }
    }

    #[test]
    fn hls_documents_chain_from_manifest_to_segment() {
        let e = endpoint("TS");
        let top = document(&e, "index.m3u8", 600.0).unwrap();
        let top = String::from_utf8(top.body).unwrap();
        assert!(top.starts_with("#EXTM3U"));
        assert!(top.ends_with("index_1.m3u8\n"));
        let media = String::from_utf8(document(&e, "index_1.m3u8", 600.0).unwrap().body).unwrap();
        assert!(media.contains("#EXT-X-TARGETDURATION:6"));
        assert!(media.contains("segment_1_100.ts"));
        let seg = document(&e, "segment_1_100.ts", 600.0).unwrap();
        assert_eq!(seg.body.len(), 188);
        assert_eq!(seg.body[0], 0x47);
        assert!(document(&e, "segment_1_100.mp4", 600.0).is_none());
        assert!(document(&e, "other.m3u8", 600.0).is_none());
    }

    #[test]
    fn cmaf_playlists_have_an_init_map() {
        let e = endpoint("CMAF");
        let media = String::from_utf8(document(&e, "index_1.m3u8", 60.0).unwrap().body).unwrap();
        assert!(media.contains("#EXT-X-MAP:URI=\"segment_1_init.mp4\""));
        assert_eq!(
            &document(&e, "segment_1_init.mp4", 0.0).unwrap().body[4..8],
            b"ftyp"
        );
    }
}
