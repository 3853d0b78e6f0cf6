//! Where the file server keeps uploads: in memory, and optionally mirrored to a directory so
//! that a restarted server still serves what it had.
//!
//! A mirrored file is `<dir>/<id>`: a 16-byte header (upload time and expiry, ms, both
//! little-endian u64) followed by the bytes. The header comes first so that an extend can
//! rewrite it in place without touching a 10 MB body.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use bytes::Bytes;

use super::id::is_file_id;

/// Length of a mirrored file's header.
const HEADER_LEN: usize = 16;

/// One upload.
#[derive(Clone)]
pub(crate) struct StoredFile {
    /// The uploaded bytes.
    pub(crate) data: Bytes,
    /// When it was (last) uploaded, ms.
    pub(crate) uploaded_ms: u64,
    /// When it expires, ms.
    pub(crate) expiry_ms: u64,
}

impl StoredFile {
    /// Whether it has expired at `now_ms` (the real cleanup deletes `expiry <= NOW()`).
    pub(crate) const fn is_expired(&self, now_ms: u64) -> bool {
        self.expiry_ms <= now_ms
    }

    fn header(&self) -> [u8; HEADER_LEN] {
        let mut header = [0u8; HEADER_LEN];
        header[..8].copy_from_slice(&self.uploaded_ms.to_le_bytes());
        header[8..].copy_from_slice(&self.expiry_ms.to_le_bytes());
        header
    }

    fn from_mirror(bytes: Vec<u8>) -> Option<Self> {
        let header = bytes.get(..HEADER_LEN)?;
        let (uploaded, expiry) = header.split_at(8);
        let uploaded_ms = u64::from_le_bytes(uploaded.try_into().ok()?);
        let expiry_ms = u64::from_le_bytes(expiry.try_into().ok()?);
        let data = Bytes::from(bytes).slice(HEADER_LEN..);
        Some(Self {
            data,
            uploaded_ms,
            expiry_ms,
        })
    }
}

impl fmt::Debug for StoredFile {
    // Uploads are someone's (encrypted) attachments: sizes and times only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredFile")
            .field("size", &self.data.len())
            .field("uploaded_ms", &self.uploaded_ms)
            .field("expiry_ms", &self.expiry_ms)
            .finish()
    }
}

/// The uploads by id, internally synchronised.
pub(crate) struct FileStore {
    files: Mutex<HashMap<String, StoredFile>>,
    dir: Option<PathBuf>,
}

impl fmt::Debug for FileStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileStore")
            .field("files", &self.lock().len())
            .field("dir", &self.dir)
            .finish()
    }
}

impl FileStore {
    /// A store that forgets everything when dropped.
    pub(crate) fn in_memory() -> Self {
        Self {
            files: Mutex::new(HashMap::new()),
            dir: None,
        }
    }

    /// A store mirrored to `dir` (created if missing), starting with the files already there.
    /// Entries that are not a file id, or too short to hold a header, are left alone.
    pub(crate) fn open(dir: &Path) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        let mut files = HashMap::new();
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let Some(id) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if !is_file_id(&id) || !entry.file_type()?.is_file() {
                continue;
            }
            if let Some(file) = StoredFile::from_mirror(fs::read(entry.path())?) {
                files.insert(id, file);
            }
        }
        Ok(Self {
            files: Mutex::new(files),
            dir: Some(dir.to_path_buf()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, StoredFile>> {
        // Every mutation below finishes the map update in one step, so a poisoned map is
        // still consistent.
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores `data` under `id` (a [`super::id::file_id`]), or, when that id is already
    /// there and unexpired, keeps its bytes and resets its upload time and expiry, as the
    /// real server's de-duplication does.
    pub(crate) fn put(
        &self,
        id: &str,
        data: Bytes,
        now_ms: u64,
        expiry_ms: u64,
    ) -> io::Result<StoredFile> {
        let mut files = self.lock();
        let existing = files
            .get(id)
            .filter(|file| !file.is_expired(now_ms))
            .cloned();
        let refresh = existing.is_some();
        let file = StoredFile {
            data: existing.map_or(data, |file| file.data),
            uploaded_ms: now_ms,
            expiry_ms,
        };
        if let Some(dir) = &self.dir {
            if refresh {
                rewrite_header(dir, id, &file)?;
            } else {
                write_mirror(dir, id, &file)?;
            }
        }
        files.insert(id.to_owned(), file.clone());
        Ok(file)
    }

    /// The unexpired file `id`.
    pub(crate) fn get(&self, id: &str, now_ms: u64) -> Option<StoredFile> {
        self.lock()
            .get(id)
            .filter(|file| !file.is_expired(now_ms))
            .cloned()
    }

    /// Moves the expiry of the unexpired file `id` to `expiry_ms` if that is later; `None`
    /// when there is no such file.
    pub(crate) fn extend(
        &self,
        id: &str,
        now_ms: u64,
        expiry_ms: u64,
    ) -> io::Result<Option<StoredFile>> {
        let mut files = self.lock();
        let Some(file) = files.get_mut(id).filter(|file| !file.is_expired(now_ms)) else {
            return Ok(None);
        };
        if expiry_ms > file.expiry_ms {
            let mut updated = file.clone();
            updated.expiry_ms = expiry_ms;
            if let Some(dir) = &self.dir {
                rewrite_header(dir, id, &updated)?;
            }
            *file = updated;
        }
        Ok(Some(file.clone()))
    }

    /// Deletes expired files; returns how many.
    pub(crate) fn sweep(&self, now_ms: u64) -> io::Result<usize> {
        let mut files = self.lock();
        let expired: Vec<String> = files
            .iter()
            .filter(|(_, file)| file.is_expired(now_ms))
            .map(|(id, _)| id.clone())
            .collect();
        for id in &expired {
            if let Some(dir) = &self.dir {
                match fs::remove_file(dir.join(id)) {
                    Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
                    _ => {}
                }
            }
            files.remove(id);
        }
        Ok(expired.len())
    }

    /// How many files are held, expired-but-unswept ones included.
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}

/// Writes a whole mirrored file, via a temporary name so a crash never leaves half of one.
fn write_mirror(dir: &Path, id: &str, file: &StoredFile) -> io::Result<()> {
    let partial = dir.join(format!(".{id}.partial"));
    {
        let mut out = fs::File::create(&partial)?;
        out.write_all(&file.header())?;
        out.write_all(&file.data)?;
    }
    fs::rename(&partial, dir.join(id))
}

fn rewrite_header(dir: &Path, id: &str, file: &StoredFile) -> io::Result<()> {
    let mut out = fs::OpenOptions::new().write(true).open(dir.join(id))?;
    out.seek(SeekFrom::Start(0))?;
    out.write_all(&file.header())
}
