//! The QR code PNG of a virtual MFA device's `otpauth://` URI, as CreateVirtualMFADevice
//! returns it in `QRCodePNG`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use qrcode::{Color, QrCode};

/// The issuer AWS names in its authenticator URIs.
const ISSUER: &str = "Amazon Web Services";

/// Pixels per QR module.
const SCALE: usize = 4;
/// Light modules around the symbol (the QR specification asks for four).
const QUIET: usize = 4;

/// Everything but unreserved URI characters gets percent-encoded.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'@');

/// `otpauth://totp/Amazon%20Web%20Services:DEVICE@ACCOUNT?secret=SEED&issuer=…`, where
/// ACCOUNT is the account alias when there is one, else the account ID.
pub fn otpauth_uri(device_name: &str, account_label: &str, base32_seed: &str) -> String {
    let issuer = utf8_percent_encode(ISSUER, URI_COMPONENT);
    let label = format!("{ISSUER}:{device_name}@{account_label}");
    format!(
        "otpauth://totp/{}?secret={base32_seed}&issuer={issuer}",
        utf8_percent_encode(&label, URI_COMPONENT)
    )
}

/// A grayscale PNG of the QR code of `text`, or an error message.
pub fn png(text: &str) -> Result<Vec<u8>, String> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| e.to_string())?;
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c != Color::Dark {
            continue;
        }
        let (mx, my) = (i % width + QUIET, i / width + QUIET);
        for dy in 0..SCALE {
            let row = (my * SCALE + dy) * side;
            for dx in 0..SCALE {
                if let Some(p) = pixels.get_mut(row + mx * SCALE + dx) {
                    *p = 0;
                }
            }
        }
    }
    let side32 = u32::try_from(side).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side32, side32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_uri_aws_uses() {
        assert_eq!(
            otpauth_uri("bob", "000000000000", "ABCDEF"),
            "otpauth://totp/Amazon%20Web%20Services%3Abob@000000000000?secret=ABCDEF&issuer=Amazon%20Web%20Services"
        );
    }

    #[test]
    fn encodes_a_decodable_png_of_the_qr_code() {
        let bytes = png("otpauth://totp/x?secret=ABC").unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(bytes.as_slice());
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.width, info.height);
        // Version 2 (25 modules) plus quiet zones, four pixels per module.
        assert_eq!(info.width as usize % SCALE, 0);
        let dark = buf[..info.buffer_size()]
            .iter()
            .filter(|p| **p == 0)
            .count();
        assert!(dark > 0 && dark < info.buffer_size() / 2);
        // The top-left finder pattern starts right after the quiet zone.
        let side = info.width as usize;
        assert_eq!(buf[QUIET * SCALE * side + QUIET * SCALE], 0);
        assert_eq!(buf[0], 255);
    }
}
