//! Reading registers: bytes in, rows of strings out. The encoding is detected (UTF-8, UTF-8
//! with BOM, GB18030/GBK — Chinese Excel's "CSV (逗号分隔)" — and UTF-16 or UTF-32 of either
//! byte order, with a BOM or without), line
//! endings are made uniform (CR-only files from old Mac Excel included) and each row carries
//! the file line it starts on, so an error can say where to look. Files are streamed, never
//! read whole. Readers never see the database.

use std::fmt;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Result, bail};
use rust_i18n::t;
use sha2::{Digest, Sha256};

use super::limits::MAX_LINE_BYTES;

/// The encoding a register was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a BOM.
    Utf8,
    /// UTF-8 with the EF BB BF mark Excel's "CSV UTF-8" writes.
    Utf8Bom,
    /// GB18030, a superset of GBK and GB2312: what Chinese Excel and WPS write by default.
    Gb18030,
    /// UTF-16 little-endian, with a BOM (Excel's "Unicode text") or without one.
    Utf16Le,
    /// UTF-16 big-endian, with or without a BOM.
    Utf16Be,
    /// UTF-32 little-endian, with or without a BOM.
    Utf32Le,
    /// UTF-32 big-endian, with or without a BOM.
    Utf32Be,
}

impl Encoding {
    /// Short name stored with the import batch.
    pub fn code(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf8Bom => "utf-8-bom",
            Self::Gb18030 => "gb18030",
            Self::Utf16Le => "utf-16",
            Self::Utf16Be => "utf-16be",
            Self::Utf32Le => "utf-32",
            Self::Utf32Be => "utf-32be",
        }
    }

    /// True for the encodings of two or four bytes a character.
    fn is_wide(self) -> bool {
        matches!(
            self,
            Self::Utf16Le | Self::Utf16Be | Self::Utf32Le | Self::Utf32Be
        )
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Utf8 => f.write_str("UTF-8"),
            Self::Utf8Bom => f.write_str(&t!("import.encoding.utf8_bom")),
            Self::Gb18030 => f.write_str("GB18030 (GBK)"),
            Self::Utf16Le => f.write_str("UTF-16LE"),
            Self::Utf16Be => f.write_str("UTF-16BE"),
            Self::Utf32Le => f.write_str("UTF-32LE"),
            Self::Utf32Be => f.write_str("UTF-32BE"),
        }
    }
}

/// UTF-32 text (either byte order) as UTF-8: encoding_rs has no UTF-32 decoder. A code unit
/// that is no character (a surrogate, above U+10FFFF) becomes U+FFFD, which the rows then
/// refuse; a BOM at the start is dropped.
struct Utf32Reader<R> {
    inner: R,
    big_endian: bool,
    /// Bytes of an incomplete code unit left from the previous read.
    carry: Vec<u8>,
    started: bool,
    input: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
}

impl<R: Read> Utf32Reader<R> {
    fn new(inner: R, big_endian: bool) -> Self {
        Self {
            inner,
            big_endian,
            carry: Vec::new(),
            started: false,
            input: vec![0; 64 * 1024],
            out: Vec::new(),
            pos: 0,
        }
    }
}

/// Decodes whole UTF-32 units of `bytes` into `out`; returns how many bytes were used.
fn utf32_to_utf8(bytes: &[u8], big_endian: bool, out: &mut Vec<u8>) -> usize {
    let mut buf = [0u8; 4];
    let units = bytes.len() / 4;
    for u in bytes.chunks_exact(4) {
        let arr = [u[0], u[1], u[2], u[3]];
        let n = if big_endian {
            u32::from_be_bytes(arr)
        } else {
            u32::from_le_bytes(arr)
        };
        let c = char::from_u32(n).unwrap_or('\u{FFFD}');
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
    units * 4
}

impl<R: Read> Read for Utf32Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            self.out.clear();
            self.pos = 0;
            let n = self.inner.read(&mut self.input)?;
            if n == 0 {
                if !self.carry.is_empty() {
                    // A file cut inside a character.
                    self.carry.clear();
                    self.out.extend_from_slice("\u{FFFD}".as_bytes());
                    continue;
                }
                return Ok(0);
            }
            self.carry.extend_from_slice(&self.input[..n]);
            let used = utf32_to_utf8(&self.carry, self.big_endian, &mut self.out);
            self.carry.drain(..used);
            if !self.started && !self.out.is_empty() {
                self.started = true;
                if self.out.starts_with("\u{FEFF}".as_bytes()) {
                    self.pos = 3;
                }
            }
        }
        let k = buf.len().min(self.out.len() - self.pos);
        buf[..k].copy_from_slice(&self.out[self.pos..self.pos + k]);
        self.pos += k;
        Ok(k)
    }
}

/// The first bytes of the file in UTF-8 (or as they are, for UTF-8 and GB18030, whose line
/// ends, quotes and delimiters are the ASCII bytes): what the line-ending and delimiter
/// sniffing look at.
fn head_as_text(head: &[u8], encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf16Le => encoding_rs::UTF_16LE
            .decode_without_bom_handling(head)
            .0
            .into_owned()
            .into_bytes(),
        Encoding::Utf16Be => encoding_rs::UTF_16BE
            .decode_without_bom_handling(head)
            .0
            .into_owned()
            .into_bytes(),
        Encoding::Utf32Le | Encoding::Utf32Be => {
            let mut out = Vec::with_capacity(head.len());
            utf32_to_utf8(head, encoding == Encoding::Utf32Be, &mut out);
            out
        }
        _ => head.to_vec(),
    }
}

/// UTF-16 or UTF-32 without a BOM, told by where the zero bytes fall in the first 4 KiB:
/// ASCII (digits, commas, line ends) in UTF-16LE has a zero in every odd byte, in UTF-32LE
/// two zeros closing every four bytes (mirrored in big-endian). Text in UTF-8 or GB18030
/// holds no zero byte at all. Text with many characters beyond the first 65,536 (emoji,
/// rare characters) has fewer zeros: UTF-32 is then told by every four bytes being a
/// character in one byte order only, and UTF-16 by its delimiters and line ends (`,` is
/// `2C 00` in UTF-16LE, `00 2C` in big-endian).
fn wide_without_bom(head: &[u8]) -> Option<Encoding> {
    let head = &head[..head.len().min(4096) & !3];
    if head.len() < 4 || !head.contains(&0) {
        return None;
    }
    let chars32 = |big: bool| {
        head.chunks_exact(4).all(|u| {
            let arr = [u[0], u[1], u[2], u[3]];
            let n = if big {
                u32::from_be_bytes(arr)
            } else {
                u32::from_le_bytes(arr)
            };
            char::from_u32(n).is_some()
        })
    };
    match (chars32(false), chars32(true)) {
        (true, false) => return Some(Encoding::Utf32Le),
        (false, true) => return Some(Encoding::Utf32Be),
        _ => {}
    }
    let mut zeros = [0usize; 4];
    for (i, b) in head.iter().enumerate() {
        if *b == 0 {
            zeros[i % 4] += 1;
        }
    }
    let quads = head.len() / 4;
    let most = |n: usize| n * 10 >= quads * 9;
    if most(zeros[2]) && most(zeros[3]) && !most(zeros[0]) {
        return Some(Encoding::Utf32Le);
    }
    if most(zeros[0]) && most(zeros[1]) && !most(zeros[3]) {
        return Some(Encoding::Utf32Be);
    }
    let (even, odd) = (zeros[0] + zeros[2], zeros[1] + zeros[3]);
    let pairs = head.len() / 2;
    if odd * 10 >= pairs && odd > even * 3 {
        return Some(Encoding::Utf16Le);
    } else if even * 10 >= pairs && even > odd * 3 {
        return Some(Encoding::Utf16Be);
    }
    let marks = |big: bool| {
        head.chunks_exact(2)
            .filter(|u| {
                let n = if big {
                    u16::from_be_bytes([u[0], u[1]])
                } else {
                    u16::from_le_bytes([u[0], u[1]])
                };
                matches!(n, 0x09 | 0x0A | 0x0D | 0x2C | 0x3B)
            })
            .count()
    };
    match (marks(false), marks(true)) {
        (le, 0) if le > 0 => Some(Encoding::Utf16Le),
        (0, be) if be > 0 => Some(Encoding::Utf16Be),
        _ => None,
    }
}

/// How many first bytes [`looks_like_text`] is given.
pub const TEXT_SNIFF_BYTES: usize = 4096;

/// True when `head`, the first bytes of a file, may be text in an encoding the reader takes:
/// UTF-16 or UTF-32 (told by their zero bytes), else no zero byte and valid UTF-8 or GB18030
/// (a character cut at the end is allowed). Random bytes are neither.
pub fn looks_like_text(head: &[u8]) -> bool {
    if wide_without_bom(head).is_some()
        || [&[0xFF, 0xFE][..], &[0xFE, 0xFF], &[0, 0, 0xFE, 0xFF]]
            .iter()
            .any(|bom| head.starts_with(bom))
    {
        return true;
    }
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => return true,
        Err(e) if e.error_len().is_none() => return true,
        Err(_) => {}
    }
    // GB18030 without the last few bytes, which may cut a character.
    let whole = &head[..head.len().saturating_sub(3)];
    let (_, malformed) = encoding_rs::GB18030.decode_without_bom_handling(whole);
    !malformed
}

/// What `--encoding` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum EncodingChoice {
    /// Detect: a BOM, else valid UTF-8, else GB18030.
    #[default]
    #[value(help = rust_i18n::t!("cli.values.encoding.auto").into_owned())]
    Auto,
    /// UTF-8 (a BOM is allowed and skipped).
    #[value(name = "utf-8", alias = "utf8", help = rust_i18n::t!("cli.values.encoding.utf-8").into_owned())]
    Utf8,
    /// GB18030, which includes GBK and GB2312.
    #[value(name = "gb18030", alias = "gbk", alias = "gb2312", help = rust_i18n::t!("cli.values.encoding.gb18030").into_owned())]
    Gb18030,
}

/// One row of a register as strings, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// File line the row starts on (1-based). For workbooks, the sheet row.
    pub line: u64,
    /// Row number as a spreadsheet program shows it (1-based); differs from `line` when a
    /// cell above holds a line break.
    pub row: u64,
    /// The cells, as read (not yet normalized); one buffer for the whole row.
    pub cells: csv::StringRecord,
}

impl RawRow {
    /// A row from cell texts.
    pub fn new<S: AsRef<str>>(line: u64, row: u64, cells: &[S]) -> Self {
        Self {
            line,
            row,
            cells: cells.iter().map(AsRef::as_ref).collect(),
        }
    }
}

/// A SHA-256 of every byte read through a [`HashingReader`], shared with whoever needs the
/// digest when reading is done, and the count of those bytes (for a progress bar).
#[derive(Clone, Default)]
pub struct SharedHash(Arc<Mutex<Sha256>>, Arc<AtomicU64>);

impl SharedHash {
    /// Adds everything `r` holds (a workbook, whose reader is not this one).
    pub fn update_from(&self, r: &mut impl Read) -> io::Result<()> {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            self.0.lock().expect("hash lock").update(&buf[..n]);
        }
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.1.load(Ordering::Relaxed)
    }

    /// The hex digest of what has been read so far.
    pub fn hex(&self) -> String {
        let digest = self.0.lock().expect("hash lock").clone().finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

struct HashingReader<R> {
    inner: R,
    hash: SharedHash,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.0.lock().expect("hash lock").update(&buf[..n]);
        self.hash.1.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Stands in for a line feed inside a cell of a CR-terminated file (old Mac Excel ends rows
/// with CR and writes Alt+Enter breaks as LF, unquoted): the ASCII record separator, which
/// never occurs in text.
const CELL_BREAK: u8 = 0x1E;

/// Makes every record end in LF, so that the CSV reader and its line count agree with the
/// file. In a file whose rows end in CR alone, a lone LF is a line break inside a cell: it
/// becomes [`CELL_BREAK`] and is turned back into LF (and counted as a line) per row.
/// Otherwise CRLF and a lone CR become LF. An empty line outside quotes gets a delimiter, so
/// that the CSV reader sees a blank row instead of skipping it: rows and lines are then
/// numbered as a spreadsheet and an editor show them. Safe on UTF-8 and GB18030 (0x0A, 0x0D
/// and `"` never occur inside a multi-byte character) and on decoded UTF-16.
///
/// It also bounds a row: past [`MAX_LINE_BYTES`] bytes without the end of a record (a line
/// break outside quotes), reading stops with a [`LineTooLong`] error, before the CSV reader
/// holds more of it.
struct LineEndings<R> {
    inner: R,
    cr_rows: bool,
    delimiter: u8,
    in_quotes: bool,
    /// Lines written out so far (line feeds and cell breaks).
    lines: u64,
    /// The line the current record starts on (1-based).
    record_line: u64,
    /// Bytes of the current record written out in earlier chunks.
    record_carried: usize,
    /// Where the current record starts in `out`.
    record_start: usize,
    /// The current record passed [`MAX_LINE_BYTES`].
    too_long: bool,
    /// The last byte written out (LF at the start, so that an empty first line counts).
    last: u8,
    /// A CR ended the previous chunk: an LF starting the next one belongs to it.
    pending_cr: bool,
    input: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
}

impl<R: Read> LineEndings<R> {
    fn new(inner: R, cr_rows: bool, delimiter: u8) -> Self {
        Self {
            inner,
            cr_rows,
            delimiter,
            in_quotes: false,
            lines: 0,
            record_line: 1,
            record_carried: 0,
            record_start: 0,
            too_long: false,
            last: b'\n',
            pending_cr: false,
            input: vec![0; 64 * 1024],
            out: Vec::with_capacity(66 * 1024),
            pos: 0,
        }
    }

    fn newline(&mut self) {
        if !self.in_quotes && self.last == b'\n' {
            self.out.push(self.delimiter);
        }
        self.out.push(b'\n');
        self.last = b'\n';
        self.lines += 1;
        if !self.in_quotes {
            self.record_line = self.lines + 1;
            self.record_carried = 0;
            self.record_start = self.out.len();
        }
    }

    /// Transforms one chunk of input into `out`.
    fn fold(&mut self, n: usize) {
        let input = std::mem::take(&mut self.input);
        let bytes = &input[..n];
        let mut i = 0;
        if self.pending_cr {
            self.pending_cr = false;
            if bytes.first() == Some(&b'\n') {
                i = 1;
            }
        }
        while i < n {
            match memchr::memchr3(b'\r', b'\n', b'"', &bytes[i..]) {
                None => {
                    self.out.extend_from_slice(&bytes[i..]);
                    self.last = bytes[n - 1];
                    break;
                }
                Some(k) => {
                    if k > 0 {
                        self.out.extend_from_slice(&bytes[i..i + k]);
                        self.last = bytes[i + k - 1];
                    }
                    let j = i + k;
                    i = j + 1;
                    match bytes[j] {
                        b'"' => {
                            self.in_quotes = !self.in_quotes;
                            self.out.push(b'"');
                            self.last = b'"';
                        }
                        b'\r' => {
                            self.newline();
                            if !self.cr_rows {
                                if i == n {
                                    self.pending_cr = true;
                                } else if bytes[i] == b'\n' {
                                    i += 1;
                                }
                            }
                        }
                        _ if self.cr_rows => {
                            self.out.push(CELL_BREAK);
                            self.last = CELL_BREAK;
                            self.lines += 1;
                        }
                        _ => self.newline(),
                    }
                }
            }
        }
        self.input = input;
        self.record_carried += self.out.len() - self.record_start;
        self.record_start = 0;
        if self.record_carried > MAX_LINE_BYTES {
            self.too_long = true;
        }
    }
}

/// A row of a CSV file longer than [`MAX_LINE_BYTES`]: the line it starts on, and whether a
/// quoted cell was still open (a stray quote that swallows the rest of the file).
#[derive(Debug)]
pub struct LineTooLong {
    /// The line the row starts on (1-based).
    pub line: u64,
    /// A quoted cell was open when the limit was reached.
    pub quoted: bool,
}

impl fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let limit = super::limits::size(MAX_LINE_BYTES as u64);
        f.write_str(&if self.quoted {
            t!("limits.quote_too_long", line = self.line, limit = limit)
        } else {
            t!("limits.line_too_long", line = self.line, limit = limit)
        })
    }
}

impl std::error::Error for LineTooLong {}

impl<R: Read> Read for LineEndings<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.too_long {
                return Err(io::Error::other(LineTooLong {
                    line: self.record_line,
                    quoted: self.in_quotes,
                }));
            }
            self.out.clear();
            self.pos = 0;
            let n = self.inner.read(&mut self.input)?;
            if n == 0 {
                return Ok(0);
            }
            self.fold(n);
        }
        let k = buf.len().min(self.out.len() - self.pos);
        buf[..k].copy_from_slice(&self.out[self.pos..self.pos + k]);
        self.pos += k;
        Ok(k)
    }
}

/// True when rows end in CR alone: the first bytes hold a CR and no CRLF.
fn cr_terminated(head: &[u8]) -> bool {
    head.contains(&b'\r') && !head.windows(2).any(|w| w == b"\r\n")
}

/// How many bytes are looked at to detect the encoding and the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

/// Rows of a CSV (or tab-separated) register.
pub struct CsvRows {
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: csv::StringRecord,
    row: u64,
    encoding: Encoding,
    done: bool,
    /// In-cell line breaks seen so far: lines the CSV reader did not count.
    cell_breaks: u64,
    /// The most cells a row has had so far.
    width: usize,
}

impl CsvRows {
    /// Opens a CSV register from any byte source. `hash` receives every byte read.
    ///
    /// Errors: a forced encoding that the bytes contradict at the start (the rest is checked
    /// as rows are read).
    pub fn new(
        source: Box<dyn Read + Send>,
        choice: EncodingChoice,
        hash: SharedHash,
    ) -> Result<Self> {
        let mut hashing = HashingReader {
            inner: source,
            hash,
        };
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        (&mut hashing)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)?;
        let encoding = detect(&head, choice)?;
        let text = head_as_text(&head[..head.len().min(16 * 1024)], encoding);
        let delimiter = sniff_delimiter(&text);
        let cr_rows = cr_terminated(&text[..text.len().min(8192)]);
        let raw: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(hashing));
        let decoded: Box<dyn Read + Send> = match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => raw,
            Encoding::Utf32Le | Encoding::Utf32Be => {
                Box::new(Utf32Reader::new(raw, encoding == Encoding::Utf32Be))
            }
            Encoding::Gb18030 | Encoding::Utf16Le | Encoding::Utf16Be => Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(match encoding {
                        Encoding::Gb18030 => encoding_rs::GB18030,
                        Encoding::Utf16Be => encoding_rs::UTF_16BE,
                        _ => encoding_rs::UTF_16LE,
                    }))
                    .bom_override(true)
                    .build(raw),
            ),
        };
        let normalized: Box<dyn Read + Send> =
            Box::new(LineEndings::new(decoded, cr_rows, delimiter));
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(256 * 1024)
            .from_reader(normalized);
        Ok(Self {
            reader,
            record: csv::StringRecord::new(),
            row: 0,
            encoding,
            done: false,
            cell_breaks: 0,
            width: 0,
        })
    }

    /// The encoding in use.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }
}

impl Iterator for CsvRows {
    type Item = Result<RawRow>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.reader.read_record(&mut self.record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                self.row += 1;
                let line = self.record.position().map_or(self.row, |p| p.line()) + self.cell_breaks;
                let breaks = self
                    .record
                    .as_byte_record()
                    .as_slice()
                    .iter()
                    .filter(|b| **b == CELL_BREAK)
                    .count() as u64;
                let bom = self.row == 1
                    && self
                        .record
                        .get(0)
                        .is_some_and(|c| c.starts_with('\u{feff}'));
                let cells = if breaks > 0 || bom {
                    self.cell_breaks += breaks;
                    let mut v: Vec<String> = self
                        .record
                        .iter()
                        .map(|c| c.replace(CELL_BREAK as char, "\n"))
                        .collect();
                    if let Some(first) = v.first_mut()
                        && let Some(rest) = first.strip_prefix('\u{feff}')
                    {
                        *first = rest.to_string();
                    }
                    v.iter().map(String::as_str).collect()
                } else {
                    self.record.clone()
                };
                if self.encoding == Encoding::Gb18030
                    && let Some(col) = cells.iter().position(|c| c.contains('\u{fffd}'))
                {
                    self.done = true;
                    return Some(Err(anyhow::anyhow!(
                        "{}",
                        t!(
                            "import.csv.bad_gb18030",
                            line = line,
                            column = column_letter(col)
                        )
                    )));
                }
                // A wide encoding cut or mixed with another, or UTF-16 read as something
                // else: never rows of garbled or empty cells.
                let broken = |c: &str| {
                    c.contains('\0') || (self.encoding.is_wide() && c.contains('\u{fffd}'))
                };
                if let Some(col) = cells.iter().position(broken) {
                    self.done = true;
                    return Some(Err(anyhow::anyhow!(
                        "{}",
                        t!(
                            "inputs.csv.bad_text",
                            line = line,
                            column = column_letter(col),
                            encoding = self.encoding.to_string()
                        )
                    )));
                }
                self.width = self.width.max(cells.len());
                if let Some((col, lines)) = runaway_quote(&cells, self.width) {
                    self.done = true;
                    return Some(Err(anyhow::anyhow!(
                        "{}",
                        t!(
                            "import.csv.runaway_quote",
                            line = line,
                            column = column_letter(col),
                            lines = lines
                        )
                    )));
                }
                Some(Ok(RawRow {
                    line,
                    row: self.row,
                    cells,
                }))
            }
            Err(e) => {
                self.done = true;
                if let csv::ErrorKind::Io(io) = e.kind()
                    && let Some(long) = io.get_ref().and_then(|x| x.downcast_ref::<LineTooLong>())
                {
                    return Some(Err(anyhow::anyhow!("{long}")));
                }
                let at = e
                    .position()
                    .map(|p| t!("import.csv.at_line", line = p.line()).into_owned())
                    .unwrap_or_default();
                let msg = if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    format!("{at}{}", t!("import.csv.not_utf8"))
                } else {
                    format!("{at}{e}")
                };
                Some(Err(anyhow::anyhow!(msg)))
            }
        }
    }
}

/// Chooses the encoding from the first bytes: a byte-order mark always wins (it says what
/// the file is, whatever `--encoding` asks: UTF-32 before UTF-16, whose mark starts
/// UTF-32LE's); then, unless an encoding is forced, UTF-16 or UTF-32 without a mark (told by
/// their zero bytes); then valid UTF-8; else GB18030.
fn detect(head: &[u8], choice: EncodingChoice) -> Result<Encoding> {
    if head.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Ok(Encoding::Utf32Le);
    }
    if head.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Ok(Encoding::Utf32Be);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Ok(Encoding::Utf16Le);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Ok(Encoding::Utf16Be);
    }
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(Encoding::Utf8Bom);
    }
    if let Some(wide) = wide_without_bom(head) {
        if choice == EncodingChoice::Auto {
            return Ok(wide);
        }
        // UTF-16 or UTF-32 read as UTF-8 or GB18030 is garbage or a wrong hint: said as it is.
        let asked = match choice {
            EncodingChoice::Gb18030 => Encoding::Gb18030,
            _ => Encoding::Utf8,
        };
        bail!(
            "{}",
            t!(
                "limits.wide_forced",
                found = wide.to_string(),
                asked = asked.to_string()
            )
        );
    }
    let utf8_ok = match std::str::from_utf8(head) {
        Ok(_) => true,
        // A character cut by the sniff window is fine.
        Err(e) => e.error_len().is_none(),
    };
    Ok(match choice {
        EncodingChoice::Auto if utf8_ok => Encoding::Utf8,
        EncodingChoice::Auto => Encoding::Gb18030,
        EncodingChoice::Utf8 if utf8_ok => Encoding::Utf8,
        EncodingChoice::Utf8 => {
            let at = std::str::from_utf8(head)
                .err()
                .map_or(0, |e| e.valid_up_to());
            let line = head[..at].iter().filter(|b| **b == b'\n').count() + 1;
            bail!(
                "{}{}",
                t!("import.csv.at_line", line = line),
                t!("import.csv.not_utf8")
            );
        }
        EncodingChoice::Gb18030 => Encoding::Gb18030,
    })
}

/// A cell that swallowed later rows: a stray quote opens a quoted cell that the CSV reader
/// only closes at the next quote, possibly at the end of the file. Such a cell holds line
/// breaks and, on the lines after the first, as many delimiters as a row has columns.
/// `columns` is the widest row seen so far. Returns the column and the number of lines it
/// spans. A note with a line break or two
/// (`住3楼\n晚上在家`) is not one.
fn runaway_quote(cells: &csv::StringRecord, columns: usize) -> Option<(usize, usize)> {
    if columns < 3 {
        return None;
    }
    cells.iter().enumerate().find_map(|(i, c)| {
        let lines: Vec<&str> = c.trim_end_matches('\n').split('\n').collect();
        let rowlike = lines[1..]
            .iter()
            .filter(|l| l.matches([',', '\t', ';']).count() + 2 >= columns)
            .count();
        (rowlike > 0).then_some((i, lines.len()))
    })
}

/// Comma unless the first lines hold more tabs (a "text (tab-separated)" export) or
/// semicolons.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let count = |d: u8| head.iter().take(8192).filter(|b| **b == d).count();
    let (commas, tabs, semis) = (count(b','), count(b'\t'), count(b';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

/// The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8], choice: EncodingChoice) -> (Encoding, Vec<RawRow>) {
        let r = CsvRows::new(
            Box::new(io::Cursor::new(bytes.to_vec())),
            choice,
            SharedHash::default(),
        )
        .unwrap();
        let enc = r.encoding();
        (enc, r.map(Result::unwrap).collect())
    }

    #[test]
    fn bom_is_detected_and_stripped() {
        let (enc, r) = rows(
            "\u{feff}姓名,手机号\n张三,1\n".as_bytes(),
            EncodingChoice::Auto,
        );
        assert_eq!(enc, Encoding::Utf8Bom);
        assert_eq!(&r[0].cells[0], "姓名");
    }

    #[test]
    fn gbk_is_detected() {
        let (bytes, _, _) = encoding_rs::GBK.encode("姓名,手机号\n王喆,1\n");
        let (enc, r) = rows(&bytes, EncodingChoice::Auto);
        assert_eq!(enc, Encoding::Gb18030);
        assert_eq!(&r[1].cells[0], "王喆");
    }

    #[test]
    fn forced_utf8_on_gbk_is_refused_with_hint() {
        let (bytes, _, _) = encoding_rs::GBK.encode("姓名,手机号\n王喆,1\n");
        let err = CsvRows::new(
            Box::new(io::Cursor::new(bytes.to_vec())),
            EncodingChoice::Utf8,
            SharedHash::default(),
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("gb18030"), "{err}");
    }

    #[test]
    fn cr_only_lines_and_embedded_breaks_count() {
        let (_, r) = rows(b"a,b\rc,\"x\ry\"\re,f\r", EncodingChoice::Auto);
        assert_eq!(r.len(), 3);
        assert_eq!((r[1].line, r[1].row), (2, 2));
        assert_eq!(&r[1].cells[1], "x\ny");
        assert_eq!((r[2].line, r[2].row), (4, 3));
    }

    #[test]
    fn unquoted_lf_in_cr_file_is_a_cell_break() {
        // Case 09: rows end in CR; a note holds a bare LF; the short row starts on line 5.
        let (_, r) = rows(b"h1,h2\ra,b\rc,x\ny\re,f\r", EncodingChoice::Auto);
        assert_eq!(r.len(), 4);
        assert_eq!(&r[2].cells[1], "x\ny");
        assert_eq!((r[3].line, r[3].row), (5, 4));
    }

    #[test]
    fn crlf_split_across_reads_counts_once() {
        // A reader that hands out one byte at a time splits every CRLF.
        struct OneByte(io::Cursor<Vec<u8>>);
        impl Read for OneByte {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let len = buf.len().min(1);
                self.0.read(&mut buf[..len])
            }
        }
        let mut r = LineEndings::new(
            OneByte(io::Cursor::new(b"a\r\nb\rc\r\n\r\nd".to_vec())),
            false,
            b',',
        );
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        // The empty line gets a delimiter: the CSV reader sees a blank row, not nothing.
        assert_eq!(out, b"a\nb\nc\n,\nd");
    }

    #[test]
    fn an_unclosed_quote_is_named_not_swallowed() {
        let r = CsvRows::new(
            Box::new(io::Cursor::new(
                "姓名,工种,手机号,街道\n甲,\"骑手,13800138000,柳巷\n乙,骑手,13900139000,柳巷\n丙,骑手,13700137000,柳巷\n"
                    .as_bytes()
                    .to_vec(),
            )),
            EncodingChoice::Auto,
            SharedHash::default(),
        )
        .unwrap();
        let out: Vec<Result<RawRow>> = r.collect();
        let err = out.last().unwrap().as_ref().unwrap_err().to_string();
        assert!(
            err.contains("line 2, column B") && err.contains("never"),
            "{err}"
        );
        assert!(!err.contains("13900139000"), "{err}");
    }

    #[test]
    fn empty_lines_count_as_rows_but_not_inside_quotes() {
        let (_, r) = rows(b"h1,h2\n\na,\"x\n\ny\"\n\nb,c\n", EncodingChoice::Auto);
        let lines: Vec<(u64, u64)> = r.iter().map(|r| (r.line, r.row)).collect();
        assert_eq!(lines, vec![(1, 1), (2, 2), (3, 3), (6, 4), (7, 5)]);
        assert_eq!(&r[2].cells[1], "x\n\ny");
    }

    #[test]
    fn crlf_counts_once() {
        let (_, r) = rows(b"a,b\r\nc,d\r\ne,f\r\n", EncodingChoice::Auto);
        assert_eq!(r.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn tabs_are_sniffed() {
        let (_, r) = rows(b"a\tb\nc\td\n", EncodingChoice::Auto);
        assert_eq!(r[1].cells.iter().collect::<Vec<_>>(), vec!["c", "d"]);
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }

    #[test]
    fn hash_covers_every_byte() {
        let hash = SharedHash::default();
        let r = CsvRows::new(
            Box::new(io::Cursor::new(b"abc".to_vec())),
            EncodingChoice::Auto,
            hash.clone(),
        )
        .unwrap();
        let _ = r.count();
        assert_eq!(
            hash.hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
