//! A small safe wrapper over the UnRAR library's C interface (`unrar_sys`).
//!
//! Written here rather than taken from the `unrar` crate because that crate's
//! volume-change callback copies 2,048 wide characters from a shorter buffer
//! (an out-of-bounds read on every multi-volume archive, 0.5.8), and it reads
//! whole members into memory. Here member data streams into a [`Sink`] that
//! stops the decoder at its limit, and a missing volume is reported, not asked for.
//!
//! Paths handed to UnRAR are ASCII only (see `volume_set`): on Unix it turns
//! names into bytes through the C locale, which mangles anything else.

use std::ffi::CString;
use std::os::raw::{c_int, c_uint};
use std::ptr::NonNull;

use unrar_sys as sys;

/// An UnRAR status code other than success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Code(pub c_int);

impl Code {
    pub(crate) fn is_password(self) -> bool {
        matches!(self.0, sys::ERAR_MISSING_PASSWORD | sys::ERAR_BAD_PASSWORD)
    }

    pub(crate) fn is_missing_volume(self) -> bool {
        self.0 == sys::ERAR_EOPEN
    }

    pub(crate) fn describe(self) -> &'static str {
        match self.0 {
            sys::ERAR_NO_MEMORY => "not enough memory",
            sys::ERAR_BAD_DATA => "damaged data (a header or a checksum is wrong)",
            sys::ERAR_BAD_ARCHIVE => "not a valid RAR archive",
            sys::ERAR_UNKNOWN_FORMAT => "an unknown archive format",
            sys::ERAR_EOPEN => "a volume could not be opened",
            sys::ERAR_EREAD => "a read error",
            sys::ERAR_MISSING_PASSWORD | sys::ERAR_BAD_PASSWORD => "a password is needed",
            sys::ERAR_EREFERENCE => "a member refers to another that is not there",
            _ => "an unknown error",
        }
    }
}

/// Receives a member's bytes as UnRAR decodes them.
pub(crate) trait Sink {
    /// Takes a chunk; `false` stops decoding (a limit was reached, a write failed).
    fn accept(&mut self, chunk: &[u8]) -> bool;
}

/// What one member's header says.
pub(crate) struct Header {
    pub name: String,
    pub unpacked_size: u64,
    pub packed_size: u64,
    pub is_directory: bool,
    pub is_encrypted: bool,
    /// A link or junction (RAR 5 redirection, or a RAR 3 Unix link in the attributes).
    pub is_link: bool,
    /// The modification time the archive records, in DOS form (0: none).
    pub dos_time: u32,
}

/// State the C callback reaches through its user-data pointer.
#[derive(Default)]
struct CallbackState {
    sink: Option<*mut dyn Sink>,
    /// The callback refused to go on because the sink stopped.
    sink_stopped: bool,
    /// The next volume UnRAR looked for and did not find.
    missing_volume: bool,
}

/// An archive open for reading its members in order.
pub(crate) struct RarArchive {
    handle: NonNull<sys::Handle>,
    state: Box<CallbackState>,
    header: Box<sys::HeaderDataEx>,
}

/// Longest name read from UnRAR's wide buffers (their size in `unrar_sys`).
const NAME_CAPACITY: usize = 1024;
/// A Unix symbolic link in a member's attributes (`S_IFLNK`), RAR 3 and older.
const UNIX_LINK: u32 = 0o120000;
const UNIX_TYPE: u32 = 0o170000;
/// The host-OS value of archives made on Unix.
const HOST_UNIX: u32 = 3;
/// A Windows reparse point (junction or link) in a member's attributes.
const WINDOWS_REPARSE_POINT: u32 = 0x400;

impl RarArchive {
    /// Opens the archive at `ascii_path` for extraction.
    pub(crate) fn open(ascii_path: &str) -> Result<Self, Code> {
        let name = CString::new(ascii_path).map_err(|_| Code(sys::ERAR_EOPEN))?;
        let mut state = Box::<CallbackState>::default();
        let mut data = sys::OpenArchiveDataEx::new(name.as_ptr(), sys::RAR_OM_EXTRACT);
        data.callback = Some(callback);
        data.user_data = &mut *state as *mut CallbackState as sys::LPARAM;
        // SAFETY: `data` and the name it points to live across the call; UnRAR
        // copies the name. The user-data pointer stays valid while the handle
        // lives: the state is boxed and owned by the returned archive.
        let handle = unsafe { sys::RAROpenArchiveEx(&mut data as *mut _) };
        let Some(handle) = NonNull::new(handle as *mut sys::Handle) else {
            return Err(Code(data.open_result as c_int));
        };
        let archive = RarArchive {
            handle,
            state,
            header: Box::default(),
        };
        if data.open_result != 0 {
            return Err(Code(data.open_result as c_int));
        }
        Ok(archive)
    }

    /// The next member's header, `None` at the end of the archive.
    pub(crate) fn next_header(&mut self) -> Result<Option<Header>, Code> {
        *self.header = sys::HeaderDataEx::default();
        // The binding declares the header `*const`, but UnRAR writes it: the
        // pointer comes from a unique borrow so that the write is allowed.
        let header: *mut sys::HeaderDataEx = &mut *self.header;
        // SAFETY: the handle is open; the header struct is owned and writable.
        let code = unsafe { sys::RARReadHeaderEx(self.handle.as_ptr(), header) };
        match code {
            sys::ERAR_SUCCESS => Ok(Some(header_of(&self.header))),
            sys::ERAR_END_ARCHIVE => Ok(None),
            other => Err(self.code(other)),
        }
    }

    /// Moves past the current member without handing its bytes anywhere.
    pub(crate) fn skip(&mut self) -> Result<(), Code> {
        self.process(sys::RAR_SKIP, None)
    }

    /// Decodes the current member into `sink`, checking its checksum.
    pub(crate) fn read_into(&mut self, sink: &mut dyn Sink) -> Result<(), Code> {
        self.process(sys::RAR_TEST, Some(sink))
    }

    /// Whether the last failure came from the sink refusing more bytes.
    pub(crate) fn sink_stopped(&self) -> bool {
        self.state.sink_stopped
    }

    fn process(&mut self, operation: c_int, sink: Option<&mut dyn Sink>) -> Result<(), Code> {
        // The sink is only reached from the callback during this call.
        let sink = sink.map(|s| {
            // SAFETY: erases the borrow's lifetime; the pointer is cleared below,
            // before the borrow ends, and used only inside RARProcessFileW.
            let s: &'static mut dyn Sink = unsafe { std::mem::transmute(s) };
            s as *mut dyn Sink
        });
        self.state.sink = sink;
        self.state.sink_stopped = false;
        // SAFETY: the handle is open; null destinations are allowed for test and skip.
        let code = unsafe {
            sys::RARProcessFileW(
                self.handle.as_ptr(),
                operation,
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        self.state.sink = None;
        if code == sys::ERAR_SUCCESS {
            Ok(())
        } else {
            Err(self.code(code))
        }
    }

    /// A failure code, told apart from a volume the callback found missing.
    fn code(&self, code: c_int) -> Code {
        if self.state.missing_volume {
            Code(sys::ERAR_EOPEN)
        } else {
            Code(code)
        }
    }
}

impl Drop for RarArchive {
    fn drop(&mut self) {
        // SAFETY: the handle was opened by RAROpenArchiveEx and is closed once.
        unsafe {
            sys::RARCloseArchive(self.handle.as_ptr());
        }
    }
}

fn header_of(raw: &sys::HeaderDataEx) -> Header {
    let wide = |low: c_uint, high: c_uint| u64::from(low) | (u64::from(high) << 32);
    let attributes = raw.file_attr;
    let unix_link = raw.host_os == HOST_UNIX && attributes & UNIX_TYPE == UNIX_LINK;
    let windows_link = raw.host_os != HOST_UNIX && attributes & WINDOWS_REPARSE_POINT != 0;
    Header {
        name: wide_name(&raw.filename_w),
        unpacked_size: wide(raw.unp_size, raw.unp_size_high),
        packed_size: wide(raw.pack_size, raw.pack_size_high),
        is_directory: raw.flags & sys::RHDF_DIRECTORY != 0,
        is_encrypted: raw.flags & sys::RHDF_ENCRYPTED != 0,
        is_link: raw.redir_type != 0 || unix_link || windows_link,
        dos_time: raw.file_time,
    }
}

/// A name from a nul-terminated wide buffer (UTF-32 on Unix, UTF-16 pairs
/// decoded where a writer left them).
fn wide_name(buffer: &[sys::WCHAR]) -> String {
    let units: Vec<u32> = buffer
        .iter()
        .take(NAME_CAPACITY)
        .take_while(|&&unit| unit != 0)
        .map(|&unit| unit as u32)
        .collect();
    let mut name = String::with_capacity(units.len());
    let mut pending = units.iter().copied().peekable();
    while let Some(unit) = pending.next() {
        let decoded = match unit {
            0xD800..=0xDBFF => match pending.peek() {
                Some(&low @ 0xDC00..=0xDFFF) => {
                    pending.next();
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                }
                _ => None,
            },
            other => char::from_u32(other),
        };
        name.push(decoded.unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    name
}

/// UnRAR's callback: member data, volume changes and password requests.
extern "C" fn callback(
    message: sys::UINT,
    user_data: sys::LPARAM,
    p1: sys::LPARAM,
    p2: sys::LPARAM,
) -> c_int {
    if user_data == 0 {
        return -1;
    }
    // SAFETY: `user_data` is the boxed state of the open archive (see `open`),
    // reached only from this thread during an UnRAR call.
    let state = unsafe { &mut *(user_data as *mut CallbackState) };
    match message {
        sys::UCM_PROCESSDATA => {
            let Some(sink) = state.sink else {
                return 1;
            };
            let length = usize::try_from(p2).unwrap_or(0);
            if p1 == 0 || length == 0 {
                return 1;
            }
            // SAFETY: UnRAR passes a buffer of `p2` bytes, valid during the call;
            // the sink pointer is set by `process` for the length of its call.
            let (chunk, sink) = unsafe {
                (
                    std::slice::from_raw_parts(p1 as *const u8, length),
                    &mut *sink,
                )
            };
            if sink.accept(chunk) {
                1
            } else {
                state.sink_stopped = true;
                -1
            }
        }
        sys::UCM_CHANGEVOLUME | sys::UCM_CHANGEVOLUMEW => {
            if p2 == sys::RAR_VOL_ASK {
                state.missing_volume = true;
                -1
            } else {
                1
            }
        }
        // No password is ever given: encrypted content is reported as such.
        sys::UCM_NEEDPASSWORD | sys::UCM_NEEDPASSWORDW => -1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_names_decode_utf32_and_stray_surrogate_pairs() {
        let mut buffer = [0 as sys::WCHAR; 8];
        for (slot, unit) in buffer
            .iter_mut()
            .zip([0x8868, 0x2F, 0xD83D, 0xDE0A, 0x1F60A, 0xDC00])
        {
            *slot = unit as sys::WCHAR;
        }
        assert_eq!(wide_name(&buffer), "表/😊😊\u{FFFD}");
    }
}
