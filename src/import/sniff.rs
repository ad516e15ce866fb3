//! Files that are not registers, named by what they are: a PDF, a picture, an archive, a Word
//! document, a database. People send what they have — a scanned 台账, the zip the street
//! office mailed, the registry file itself — and "read as GB18030" followed by a page of
//! garbled rows helps nobody. Recognised by their first bytes (magic numbers), never by the
//! file name; a ZIP or OLE2 container is told apart from a workbook by the names of the parts
//! it holds. Reads bytes only: no database, no decoding.

use std::io::{Read, Seek, SeekFrom};

use memchr::memmem;
use rust_i18n::t;

/// How many first bytes [`by_magic`] needs to tell every kind it knows.
pub const MAGIC_BYTES: usize = 72;

/// A file that is not a register, by what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotRegister {
    /// `%PDF`.
    Pdf,
    /// PNG, JPEG, GIF, BMP or WebP: a photo or scan of a register.
    Image(&'static str),
    /// ZIP (not a workbook), RAR, 7z or gzip.
    Archive(&'static str),
    /// A Word document: `.docx` (a ZIP holding `word/document.xml`) or `.doc` (OLE2 with a
    /// `WordDocument` stream and no `Workbook`).
    Word,
    /// A PowerPoint presentation (`.pptx`, `.ppt`).
    PowerPoint,
    /// An SQLite database; `true` when its header carries nuanfeng's application id: a
    /// registry given where a register was expected.
    Sqlite(bool),
}

impl NotRegister {
    /// The whole refusal: `{file} 是 PDF 文档，不是台账 — …另存为 .xlsx 或 CSV…`.
    pub fn message(self, file: &str) -> String {
        let what = match self {
            Self::Pdf => t!("inputs.file_kind.pdf"),
            Self::Image(k) => t!("inputs.file_kind.image", kind = k),
            Self::Archive(k) => t!("inputs.file_kind.archive", kind = k),
            Self::Word => t!("inputs.file_kind.word"),
            Self::PowerPoint => t!("inputs.file_kind.powerpoint"),
            Self::Sqlite(true) => return t!("inputs.file_kind.registry", file = file).into_owned(),
            Self::Sqlite(false) => t!("inputs.file_kind.sqlite"),
        };
        let fix = match self {
            Self::Archive(_) => t!("inputs.file_kind.fix_archive"),
            Self::Pdf | Self::Image(_) => t!("inputs.file_kind.fix_scan"),
            _ => t!("inputs.file_kind.fix_save"),
        };
        t!("inputs.not_a_register", file = file, what = what, fix = fix).into_owned()
    }
}

/// What the first bytes of a file say it is, when that is not a register: `head` holds at
/// least [`MAGIC_BYTES`] bytes unless the file is shorter (an SQLite file is told for a
/// nuanfeng registry by its header's application id, at offset 68: give 72 bytes). ZIP and OLE2 containers are not
/// judged here (see [`zip_content`], [`ole_content`]).
pub fn by_magic(head: &[u8]) -> Option<NotRegister> {
    let starts = |m: &[u8]| head.starts_with(m);
    Some(if starts(b"%PDF") {
        NotRegister::Pdf
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        NotRegister::Image("PNG")
    } else if starts(b"\xFF\xD8\xFF") {
        NotRegister::Image("JPEG")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        NotRegister::Image("GIF")
    } else if starts(b"BM") && head.len() >= 10 && head[6..10] == [0, 0, 0, 0] {
        // The four reserved bytes after the size are zero; text never holds NUL bytes there.
        NotRegister::Image("BMP")
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        NotRegister::Image("WebP")
    } else if starts(b"Rar!\x1a\x07") {
        NotRegister::Archive("RAR")
    } else if starts(b"7z\xBC\xAF\x27\x1C") {
        NotRegister::Archive("7z")
    } else if starts(b"\x1F\x8B") {
        NotRegister::Archive("gzip")
    } else if starts(b"SQLite format 3\0") {
        NotRegister::Sqlite(is_registry(head))
    } else {
        return None;
    })
}

/// True when `head` starts an SQLite file whose application id (header offset 68) is
/// nuanfeng's, `NFNG`.
fn is_registry(header: &[u8]) -> bool {
    header.get(68..72) == Some(b"NFNG")
}

/// How many bytes of the end of a ZIP are searched for part names: the central directory,
/// which lists every part, sits at the end (about 100 bytes a part).
const ZIP_TAIL: u64 = 1 << 20;

/// What a ZIP container holds, when it is not a workbook: a Word document, a presentation,
/// or any other archive. `None` for an .xlsx (`[Content_Types].xml` and no Word or
/// PowerPoint part) and an OpenDocument file (`mimetype`): calamine reads those, and names
/// the damage of a broken one. A ZIP with neither part is an archive, whatever its name
/// (a .zip renamed .xlsx): it is to be unpacked, not saved again from Excel.
///
/// The part names are read from the central directory, which lists them all; a file cut
/// short has lost it, and then the names seen in its first and last bytes decide, and one
/// named as a workbook (`named_workbook`) whose parts cannot be told is left to calamine.
pub fn zip_content<R: Read + Seek + ?Sized>(
    file: &mut R,
    named_workbook: bool,
) -> std::io::Result<Option<NotRegister>> {
    let len = file.seek(SeekFrom::End(0))?;
    let tail_start = len.saturating_sub(ZIP_TAIL);
    file.seek(SeekFrom::Start(tail_start))?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail)?;
    file.seek(SeekFrom::Start(0))?;
    let parts = central_directory(file, tail_start, &tail)?;
    file.seek(SeekFrom::Start(0))?;
    if let Some(parts) = parts {
        let has = |name: &str| parts.iter().any(|p| p == name.as_bytes());
        let under = |dir: &str| parts.iter().any(|p| p.starts_with(dir.as_bytes()));
        return Ok(if has("word/document.xml") && !under("xl/") {
            Some(NotRegister::Word)
        } else if has("ppt/presentation.xml") && !under("xl/") {
            Some(NotRegister::PowerPoint)
        } else if has("[Content_Types].xml") || has("mimetype") {
            None
        } else {
            Some(NotRegister::Archive("ZIP"))
        });
    }
    let mut head = Vec::new();
    (&mut *file).take(4096).read_to_end(&mut head)?;
    file.seek(SeekFrom::Start(0))?;
    let has =
        |name: &[u8]| memmem::find(&tail, name).is_some() || memmem::find(&head, name).is_some();
    Ok(if has(b"xl/workbook") {
        None
    } else if has(b"word/document.xml") {
        Some(NotRegister::Word)
    } else if has(b"ppt/presentation.xml") {
        Some(NotRegister::PowerPoint)
    } else if has(b"[Content_Types].xml") || has(b"mimetype") || named_workbook {
        // A workbook cut short, its list of parts lost: calamine says what is wrong.
        None
    } else {
        Some(NotRegister::Archive("ZIP"))
    })
}

/// The part names a ZIP's central directory lists, found through its end record (the last
/// `PK 05 06` in `tail`, the file's bytes from `tail_start`). `None` when there is no
/// readable directory: the file is cut short or damaged, or a ZIP64 archive.
fn central_directory<R: Read + Seek + ?Sized>(
    file: &mut R,
    tail_start: u64,
    tail: &[u8],
) -> std::io::Result<Option<Vec<Vec<u8>>>> {
    let u16_at = |b: &[u8], i: usize| -> Option<usize> {
        Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?) as usize)
    };
    let u32_at = |b: &[u8], i: usize| -> Option<u64> {
        Some(u64::from(u32::from_le_bytes(
            b.get(i..i + 4)?.try_into().ok()?,
        )))
    };
    let Some(end) = memmem::rfind(tail, b"PK\x05\x06") else {
        return Ok(None);
    };
    let (Some(entries), Some(size)) = (u16_at(tail, end + 10), u32_at(tail, end + 12)) else {
        return Ok(None);
    };
    // The directory ends where its end record starts.
    let end_at = tail_start + end as u64;
    if size == 0xFFFF_FFFF || size > end_at {
        return Ok(None);
    }
    file.seek(SeekFrom::Start(end_at - size))?;
    let mut dir = Vec::new();
    (&mut *file).take(size).read_to_end(&mut dir)?;
    let mut names = Vec::with_capacity(entries);
    let mut at = 0;
    while names.len() < entries {
        if dir.get(at..at + 4) != Some(&b"PK\x01\x02"[..]) {
            return Ok(None);
        }
        let (Some(name), Some(extra), Some(comment)) = (
            u16_at(&dir, at + 28),
            u16_at(&dir, at + 30),
            u16_at(&dir, at + 32),
        ) else {
            return Ok(None);
        };
        let Some(n) = dir.get(at + 46..at + 46 + name) else {
            return Ok(None);
        };
        names.push(n.to_vec());
        at += 46 + name + extra + comment;
    }
    Ok(Some(names))
}

/// What an OLE2 compound file (`D0 CF 11 E0`) holds, when it is not an .xls workbook: a Word
/// `.doc` (a `WordDocument` stream) or a PowerPoint `.ppt`, and no `Workbook`/`Book` stream.
/// Stream names are UTF-16LE in the directory sectors, which may lie anywhere in the file.
pub fn ole_content<R: Read + Seek + ?Sized>(file: &mut R) -> std::io::Result<Option<NotRegister>> {
    file.seek(SeekFrom::Start(0))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    file.seek(SeekFrom::Start(0))?;
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let has = |s: &str| memmem::find(&bytes, &utf16(s)).is_some();
    Ok(if has("Workbook") || has("Book") {
        None
    } else if has("WordDocument") {
        Some(NotRegister::Word)
    } else if has("PowerPoint Document") {
        Some(NotRegister::PowerPoint)
    } else {
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers() {
        assert_eq!(by_magic(b"%PDF-1.7\n"), Some(NotRegister::Pdf));
        assert_eq!(
            by_magic(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(NotRegister::Image("PNG"))
        );
        assert_eq!(
            by_magic(b"BM\x36\x00\x0c\x00\x00\x00\x00\x00"),
            Some(NotRegister::Image("BMP"))
        );
        assert_eq!(by_magic("BMI,姓名".as_bytes()), None);
        assert_eq!(by_magic("姓名,手机号".as_bytes()), None);
        assert_eq!(
            by_magic(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(NotRegister::Image("WebP"))
        );
    }

    #[test]
    fn containers() {
        let mut docx = std::io::Cursor::new(b"PK\x03\x04....word/document.xml....".to_vec());
        assert_eq!(
            zip_content(&mut docx, true).unwrap(),
            Some(NotRegister::Word)
        );
        let mut xlsx = std::io::Cursor::new(b"PK\x03\x04....xl/workbook.xml....".to_vec());
        assert_eq!(zip_content(&mut xlsx, false).unwrap(), None);
        let mut zip = std::io::Cursor::new(b"PK\x03\x04....photo.jpg....".to_vec());
        assert_eq!(
            zip_content(&mut zip, false).unwrap(),
            Some(NotRegister::Archive("ZIP"))
        );
    }

    /// A ZIP of files is an archive even when named .xlsx — also when it holds a workbook
    /// stored uncompressed, whose own part names then show in its bytes.
    #[test]
    fn a_zip_named_xlsx_is_an_archive_by_its_directory() {
        use std::io::Write;
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write_string(0, 0, "姓名").unwrap();
        let xlsx = book.save_to_buffer().unwrap();
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("台账.xlsx", stored).unwrap();
        zip.write_all(&xlsx).unwrap();
        zip.start_file("说明.txt", stored).unwrap();
        zip.write_all("七月".as_bytes()).unwrap();
        zip.finish().unwrap();
        assert_eq!(
            zip_content(&mut buf, true).unwrap(),
            Some(NotRegister::Archive("ZIP"))
        );
        assert_eq!(
            zip_content(&mut std::io::Cursor::new(xlsx), true).unwrap(),
            None
        );
    }
}
