//! The run directory of a sharded run (`--run DIR`, on storage every task sees):
//!
//! ```text
//! DIR/manifest.json        written once, by the first task: the run's id, the command, the
//!                          number of shards and of files, the inputs with their stamps (size,
//!                          modification time, a hash of a file's ends or of a folder's
//!                          listing), every option that changes results
//! DIR/shards/.00003.lock   held (flock) by the task running shard 3, for as long as it runs
//! DIR/shards/00003/        shard 3's part-files, renamed into place whole
//! DIR/done/00003.json      shard 3's completion marker: the run's id, the stage and shard, each
//!                          part-file's size and checksum
//! ```
//!
//! A task whose manifest differs from the one there refuses to run, naming the difference, and
//! so does a task or merge that finds an input changed since the run began; a task whose shard
//! is done skips it; a task whose shard another task is running now refuses (the lock), so two
//! attempts never share a folder; a merge verifies every marker (run, stage, shard, plain file
//! names) and every part-file against it before it reads any, so a corrupt, truncated, missing,
//! swapped or foreign part is an error naming the file and how to recover, and nothing is
//! merged. Manifest and markers get the mode a plain `create` gives (`0666` less the umask), so
//! a group-shared run directory is readable by the group.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

/// The manifest's form; another is refused. Version 2 added the run's id and the inputs' stamps.
const MANIFEST_VERSION: u64 = 2;

/// Keys of a manifest that the first task writes and the others do not compare as options:
/// the run's id is made once, and the stamps are compared on their own, with their own message.
const OWN_KEYS: [&str; 2] = ["run", "stamps"];

pub(crate) struct RunDir {
    dir: PathBuf,
    shards: u32,
    /// Where the part-files' folders are (`DIR/shards`, or `DIR/STAGE` for a stage).
    parts: PathBuf,
    /// Where the completion markers are (`DIR/done`, or `DIR/done/STAGE`).
    done: PathBuf,
    /// The run's id, from its manifest: every marker carries it.
    id: String,
}

/// What a run is: written once, compared by every task.
pub(crate) struct Manifest {
    pub(crate) command: &'static str,
    pub(crate) shards: u32,
    pub(crate) files: u64,
    pub(crate) inputs: Vec<String>,
    /// Every option that changes results, by name.
    pub(crate) options: Map<String, Value>,
}

impl Manifest {
    fn to_json(&self) -> Value {
        serde_json::json!({
            "corpus_run": MANIFEST_VERSION,
            "command": self.command,
            "shards": self.shards,
            "files": self.files,
            "inputs": self.inputs,
            "options": self.options,
        })
    }
}

/// What identifies an input's content cheaply, to tell a changed input between the tasks of a
/// run: a file's size, modification time and a hash of its first and last 64 KiB; a folder's
/// number of files, bytes, and a hash of its listing (each file's path, size and modification
/// time). `None` for standard input, or an input that is not there.
fn stamp(input: &str) -> Option<Value> {
    if input == "-" {
        return None;
    }
    let path = Path::new(input);
    let meta = fs::metadata(path).ok()?;
    if meta.is_dir() {
        let mut listing = Vec::new();
        list_files(path, Path::new(""), &mut Vec::new(), &mut listing);
        listing.sort();
        let bytes: u64 = listing.iter().map(|(_, len, _)| len).sum();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (name, len, modified) in &listing {
            hasher.update(name.as_bytes());
            hasher.update(&[0]);
            hasher.update(&len.to_le_bytes());
            hasher.update(&modified.to_le_bytes());
        }
        return Some(serde_json::json!({
            "files": listing.len(),
            "bytes": bytes,
            "listing_xxh3": format!("{:016x}", hasher.digest()),
        }));
    }
    Some(serde_json::json!({
        "bytes": meta.len(),
        "modified": modified_ns(&meta),
        "ends_xxh3": ends_hash(path, meta.len()),
    }))
}

/// Nanoseconds since the epoch of a file's modification, 0 where the system cannot say.
fn modified_ns(meta: &fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

/// The hash of a file's first and last 64 KiB (the whole file when it is shorter).
fn ends_hash(path: &Path, len: u64) -> String {
    use std::io::{Read, Seek, SeekFrom};
    const END: u64 = 64 << 10;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    if let Ok(mut file) = fs::File::open(path) {
        let mut buf = Vec::new();
        let _ = (&mut file).take(END).read_to_end(&mut buf);
        hasher.update(&buf);
        if len > END {
            buf.clear();
            let _ = file
                .seek(SeekFrom::Start(len.saturating_sub(END).max(END)))
                .and_then(|_| file.take(END).read_to_end(&mut buf));
            hasher.update(&buf);
        }
    }
    format!("{:016x}", hasher.digest())
}

/// Every file under `dir` (links followed as the reader follows them, each folder once, so
/// that a link to a folder above it ends), with its path below the folder, size and
/// modification time.
fn list_files(
    dir: &Path,
    below: &Path,
    seen: &mut Vec<PathBuf>,
    out: &mut Vec<(String, u64, u64)>,
) {
    let real = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    if seen.contains(&real) {
        return;
    }
    seen.push(real);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = below.join(entry.file_name());
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => list_files(&path, &name, seen, out),
            Ok(meta) => out.push((
                name.to_string_lossy().into_owned(),
                meta.len(),
                modified_ns(&meta),
            )),
            Err(_) => {}
        }
    }
    seen.pop();
}

/// The stamps of a run's inputs, by input as given.
fn stamps(inputs: &[String]) -> Value {
    Value::Object(
        inputs
            .iter()
            .filter_map(|i| Some((i.clone(), stamp(i)?)))
            .collect(),
    )
}

/// Refuses a run whose inputs changed since its manifest was written: a task would count
/// other documents than the others did, and a merge would join parts of two corpora. An input
/// that is not there now (a merge run elsewhere) is not checked: it is not read.
fn check_stamps(path: &Path, recorded: &Value) -> Result<()> {
    let Some(recorded) = recorded["stamps"].as_object() else {
        return Ok(());
    };
    for (input, then) in recorded {
        let Some(now) = stamp(input) else { continue };
        if &now != then {
            let mut diff = Vec::new();
            differences(&now, then, "", &mut diff);
            bail!(
                "{}: the input {input} changed since the run began ({}); its parts no longer describe it: start the run again in another --run directory",
                path.display(),
                diff.join("; ")
                    .replace("this task has", "now")
                    .replace("the run has", "then")
            );
        }
    }
    Ok(())
}

/// A new random-enough id for a run: the time, the process and the host's view of both.
fn new_run_id(dir: &Path) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&now.to_le_bytes());
    hasher.update(&std::process::id().to_le_bytes());
    hasher.update(dir.as_os_str().as_encoded_bytes());
    format!("{:016x}", hasher.digest())
}

/// A manifest without the keys the first task alone writes.
fn options_part(manifest: &Value) -> Value {
    let mut manifest = manifest.clone();
    if let Value::Object(m) = &mut manifest {
        for key in OWN_KEYS {
            m.remove(key);
        }
    }
    manifest
}

/// Whether `name` is a plain file name: no folder, no `.` or `..`, not absolute.
fn plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// A task's hold on one shard: the lock that keeps other tasks off it, and the folder its
/// part-files are written to before [`RunDir::commit_shard`] moves them into place.
pub(crate) struct Attempt {
    /// Where the part-files are written.
    pub(crate) dir: PathBuf,
    shard: u32,
    /// Held until the attempt is committed or dropped (the lock goes with the descriptor, and
    /// with the process, however it ends).
    _lock: fs::File,
}

impl std::ops::Deref for Attempt {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.dir
    }
}

/// The keys in which two manifests differ, each with both values.
fn differences(ours: &Value, theirs: &Value, at: &str, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let path = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                differences(
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                    &path,
                    out,
                );
            }
        }
        (a, b) if a != b => out.push(format!("{at}: this task has {a}, the run has {b}")),
        _ => {}
    }
}

fn checksum(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

impl RunDir {
    /// The run directory for a task of `manifest`'s run: made, with the manifest, if it is the
    /// first task; refused if its manifest says another run.
    pub(crate) fn for_task(dir: &Path, manifest: &Manifest) -> Result<RunDir> {
        fs::create_dir_all(dir.join("done"))
            .with_context(|| format!("cannot make the run directory {}", dir.display()))?;
        let path = dir.join("manifest.json");
        let ours = manifest.to_json();
        if !path.exists() {
            // Written once: a temporary file linked into place fails if another task was
            // first, and then its manifest is compared like any other.
            let mut first = ours.clone();
            first["run"] = new_run_id(dir).into();
            first["stamps"] = stamps(&manifest.inputs);
            let mut text = serde_json::to_vec_pretty(&first)?;
            text.push(b'\n');
            let mut temp = crate::output::temp_in(dir)?;
            temp.write_all(&text)?;
            temp.as_file().sync_all()?;
            match fs::hard_link(temp.path(), &path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot write {}", path.display()));
                }
            }
        }
        let theirs = read_manifest(&path)?;
        let mut diff = Vec::new();
        differences(&ours, &options_part(&theirs), "", &mut diff);
        if !diff.is_empty() {
            bail!(
                "{}: this task is not of the run there ({}); use another --run directory, or the run's options",
                path.display(),
                diff.join("; ")
            );
        }
        check_stamps(&path, &theirs)?;
        Ok(RunDir::new(dir, manifest.shards, &theirs))
    }

    fn new(dir: &Path, shards: u32, manifest: &Value) -> RunDir {
        RunDir {
            dir: dir.to_owned(),
            shards,
            parts: dir.join("shards"),
            done: dir.join("done"),
            id: manifest["run"].as_str().unwrap_or_default().to_owned(),
        }
    }

    /// The same run's stage `name` of `tasks` tasks: its part-files in `DIR/name/NNNNN`, its
    /// markers in `DIR/done/name/NNNNN.json`.
    pub(crate) fn stage(&self, name: &str, tasks: u32) -> Result<RunDir> {
        let stage = RunDir {
            dir: self.dir.clone(),
            shards: tasks,
            parts: self.dir.join(name),
            done: self.dir.join("done").join(name),
            id: self.id.clone(),
        };
        fs::create_dir_all(&stage.parts)
            .and_then(|()| fs::create_dir_all(&stage.done))
            .with_context(|| format!("cannot make {}", stage.parts.display()))?;
        Ok(stage)
    }

    /// A later stage's view of a run that began: refused when the run's options (`options` of
    /// its manifest) differ from this task's, naming the difference.
    pub(crate) fn for_later_stage(dir: &Path, command: &str, options: &Value) -> Result<RunDir> {
        let (run, manifest) = RunDir::existing(dir, command)?;
        let mut diff = Vec::new();
        differences(
            &serde_json::json!({ "options": options }),
            &serde_json::json!({ "options": manifest["options"] }),
            "",
            &mut diff,
        );
        if !diff.is_empty() {
            bail!(
                "{}: this task is not of the run there ({}); use the run's options",
                dir.join("manifest.json").display(),
                diff.join("; ")
            );
        }
        Ok(run)
    }

    /// The stage's name, for a stage of a run in stages.
    pub(crate) fn stage_name(&self) -> Option<String> {
        (self.parts != self.dir.join("shards"))
            .then(|| {
                self.parts
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .flatten()
    }

    /// The run directory of a run to merge, and its manifest.
    /// Refused when the inputs changed since the run began.
    pub(crate) fn existing(dir: &Path, command: &str) -> Result<(RunDir, Value)> {
        let (run, manifest) = RunDir::existing_any(dir)?;
        let path = dir.join("manifest.json");
        if manifest["command"] != command {
            bail!(
                "{}: a run of `corpus {}`, not of `corpus {command}`",
                path.display(),
                manifest["command"].as_str().unwrap_or("?")
            );
        }
        check_stamps(&path, &manifest)?;
        Ok((run, manifest))
    }

    /// Refuses outputs inside the run directory: a merge writing there could replace the
    /// run's own manifest, markers or parts, and leave the run unmergeable.
    pub(crate) fn refuse_outputs_inside(&self, outputs: &[&Path]) -> Result<()> {
        let run = crate::output::absolute(&self.dir);
        for out in outputs {
            if *out != Path::new("-") && crate::output::absolute(out).starts_with(&run) {
                bail!(
                    "the output {} is inside the run directory {}, where it could replace the run's own files: write it elsewhere",
                    out.display(),
                    self.dir.display()
                );
            }
        }
        Ok(())
    }

    /// The run directory of any command's run, and its manifest.
    pub(crate) fn existing_any(dir: &Path) -> Result<(RunDir, Value)> {
        let path = dir.join("manifest.json");
        let manifest = read_manifest(&path)?;
        let shards = manifest["shards"]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n > 0)
            .with_context(|| format!("{}: no number of shards", path.display()))?;
        if shards > corpus_parser::Shard::MAX {
            bail!(
                "{}: {shards} shards, more than a run may have ({})",
                path.display(),
                corpus_parser::Shard::MAX
            );
        }
        Ok((RunDir::new(dir, shards, &manifest), manifest))
    }

    /// The number of shards of the run in `dir`, if it has a manifest.
    pub(crate) fn shards_of(dir: &Path) -> Option<u32> {
        RunDir::existing_any(dir).ok().map(|(run, _)| run.shards)
    }

    pub(crate) fn shards(&self) -> u32 {
        self.shards
    }

    fn marker(&self, shard: u32) -> PathBuf {
        self.done.join(format!("{shard:05}.json"))
    }

    /// Where shard `shard`'s part-files are.
    pub(crate) fn shard_dir(&self, shard: u32) -> PathBuf {
        self.parts.join(format!("{shard:05}"))
    }

    pub(crate) fn is_done(&self, shard: u32) -> bool {
        self.marker(shard).exists()
    }

    /// The shards without a completion marker.
    pub(crate) fn missing(&self) -> Vec<u32> {
        (0..self.shards).filter(|&s| !self.is_done(s)).collect()
    }

    fn lock_path(&self, shard: u32) -> PathBuf {
        self.parts.join(format!(".{shard:05}.lock"))
    }

    /// Whether a task holds shard `shard` now (it is running).
    pub(crate) fn is_running(&self, shard: u32) -> bool {
        let Ok(file) = fs::File::open(self.lock_path(shard)) else {
            return false;
        };
        match file.try_lock_shared() {
            Ok(()) => false,
            Err(fs::TryLockError::WouldBlock) => true,
            Err(fs::TryLockError::Error(_)) => false,
        }
    }

    /// Takes shard `shard` for this task: its lock, then a fresh folder for its part-files
    /// beside where they go (a failed attempt's leftovers are removed). Refused while another
    /// task holds the shard, or once it is done: two attempts never write one folder.
    pub(crate) fn start_shard(&self, shard: u32) -> Result<Attempt> {
        let lock_path = self.lock_path(shard);
        fs::create_dir_all(&self.parts)
            .with_context(|| format!("cannot make {}", self.parts.display()))?;
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("cannot write {}", lock_path.display()))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => bail!(
                "shard {shard} is being run by another task now (it holds {}); wait for it to end (`corpus status --run {}` says when), or end it and run this again",
                lock_path.display(),
                self.dir.display()
            ),
            Err(fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", lock_path.display()));
            }
        }
        if self.is_done(shard) {
            bail!(
                "shard {shard} was done by another task meanwhile ({}); nothing to do",
                self.marker(shard).display()
            );
        }
        let temp = self.parts.join(format!(".{shard:05}.partial"));
        let _ = fs::remove_dir_all(&temp);
        fs::create_dir_all(&temp).with_context(|| format!("cannot make {}", temp.display()))?;
        Ok(Attempt {
            dir: temp,
            shard,
            _lock: lock,
        })
    }

    /// Moves a shard's finished part-files into place, then writes its completion marker
    /// (the run, stage and shard, each file's size and checksum); the lock goes after.
    pub(crate) fn commit_shard(&self, attempt: Attempt, summary: Value) -> Result<()> {
        let (temp, shard) = (&attempt.dir, attempt.shard);
        let mut files = Map::new();
        let mut names: Vec<String> = fs::read_dir(temp)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<std::io::Result<_>>()?;
        names.sort();
        for name in names {
            let bytes = fs::read(temp.join(&name))?;
            files.insert(
                name,
                serde_json::json!({"bytes": bytes.len(), "xxh3": checksum(&bytes)}),
            );
        }
        let target = self.shard_dir(shard);
        let _ = fs::remove_dir_all(&target);
        fs::rename(temp, &target)
            .with_context(|| format!("cannot move the part-files to {}", target.display()))?;
        let marker = serde_json::json!({
            "run": self.id,
            "stage": self.stage_name(),
            "shard": shard,
            "files": files,
            "summary": summary,
        });
        let mut text = serde_json::to_vec_pretty(&marker)?;
        text.push(b'\n');
        // Whole or not at all, with the mode a plain file gets, as every output is written.
        let mut marker = crate::output::AtomicFile::create(&self.marker(shard))?;
        marker.write_all(&text)?;
        marker.commit()
    }

    /// The summary a task's completion marker holds.
    pub(crate) fn marker_summary(&self, shard: u32) -> Result<Value> {
        let path = self.marker(shard);
        let marker: Value = serde_json::from_slice(
            &fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?,
        )
        .with_context(|| format!("{}: not a completion marker", path.display()))?;
        Ok(marker["summary"].clone())
    }

    /// Checks that every shard is done and every part-file is as its marker says, before any
    /// is read; then the part-files' folders, in shard order.
    pub(crate) fn verified(&self) -> Result<Vec<PathBuf>> {
        let missing = self.missing();
        if !missing.is_empty() {
            let of = match self.stage_name() {
                None => "shards".to_owned(),
                Some(stage) => format!("tasks of the {stage} stage"),
            };
            bail!(
                "{}: {} of {} {of} are not done ({}); run them (`corpus status --run {}` lists them for sbatch --array), then go on",
                self.dir.display(),
                missing.len(),
                self.shards,
                array_spec(&missing),
                self.dir.display()
            );
        }
        let mut dirs = Vec::new();
        for shard in 0..self.shards {
            let marker_path = self.marker(shard);
            let again = format!(
                "remove {} and run shard {shard} again",
                marker_path.display()
            );
            let marker: Value = fs::read(&marker_path)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .with_context(|| {
                    format!(
                        "{}: not a completion marker; {again}",
                        marker_path.display()
                    )
                })?;
            if marker["run"] != self.id.as_str() {
                bail!(
                    "{}: the marker of another run ({}, this run is {}); {again}",
                    marker_path.display(),
                    marker["run"],
                    self.id
                );
            }
            if marker["shard"] != shard || marker["stage"] != serde_json::json!(self.stage_name()) {
                bail!(
                    "{}: the marker of shard {} of stage {}, not of shard {shard}; {again}",
                    marker_path.display(),
                    marker["shard"],
                    marker["stage"]
                );
            }
            let dir = self.shard_dir(shard);
            let files = marker["files"]
                .as_object()
                .with_context(|| format!("{}: lists no files; {again}", marker_path.display()))?;
            for (name, want) in files {
                if !plain_name(name) {
                    bail!(
                        "{}: names {name:?}, not a file of the shard's folder; {again}",
                        marker_path.display()
                    );
                }
                let path = dir.join(name);
                let size = fs::symlink_metadata(&path)
                    .ok()
                    .filter(fs::Metadata::is_file)
                    .map(|m| m.len())
                    .with_context(|| format!("{}: missing part-file; {again}", path.display()))?;
                if want["bytes"].as_u64() != Some(size) {
                    bail!(
                        "{}: truncated or grown: {size} bytes, its marker says {}; {again}",
                        path.display(),
                        want["bytes"]
                    );
                }
                let bytes = fs::read(&path)
                    .with_context(|| format!("{}: cannot read the part-file", path.display()))?;
                if want["xxh3"].as_str() != Some(checksum(&bytes).as_str()) {
                    bail!(
                        "{}: corrupt: its checksum is not its marker's; {again}",
                        path.display()
                    );
                }
            }
            dirs.push(dir);
        }
        Ok(dirs)
    }
}

/// The shard a task runs: `--shard I/N`, else the scheduler's array index, counted by the
/// run's manifest when it has begun (a resubmission of the missing tasks is a smaller array),
/// else by `--shards N` or the array's size. Says where it came from.
pub(crate) fn task_shard(
    shard: Option<corpus_parser::Shard>,
    shards: Option<u32>,
    dir: &Path,
) -> Result<(corpus_parser::Shard, &'static str)> {
    if let Some(shard) = shard {
        return Ok((shard, "--shard"));
    }
    let count = shards.or_else(|| RunDir::shards_of(dir));
    corpus_parser::Shard::from_env(|v| std::env::var(v).ok(), count)?
        .context("--run DIR needs --shard I/N, a scheduler's array index (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX with --shards N, AWS_BATCH_JOB_ARRAY_INDEX), or --merge")
}

/// One shard's problems, merged into the run's in one run's order: before each of the
/// shard's documents, the problems that came before it in the shard; then, when ids are
/// checked, the whole run's duplicate-id warning for it.
pub(crate) struct ShardProblems {
    queue: std::vec::IntoIter<corpus_core::Problem>,
    pushed: u64,
    source: PathBuf,
}

impl ShardProblems {
    /// The problems of a shard's `problems.csv`.
    pub(crate) fn read(path: &Path) -> Result<ShardProblems> {
        Ok(ShardProblems {
            queue: read_problems(path)?.into_iter(),
            pushed: 0,
            source: path.to_owned(),
        })
    }

    /// Puts into `problems` the shard's problems before a document that had `at` of them
    /// before it, then the document's duplicate-id warning (id, path, line) by `ids`, which it
    /// also returns.
    pub(crate) fn before_document(
        &mut self,
        problems: &mut crate::report::Problems,
        at: u64,
        ids: Option<&mut corpus_parser::IdCheck>,
        (id, path, line): (String, String, Option<u64>),
    ) -> Result<Option<corpus_core::Problem>> {
        while self.pushed < at {
            let p = self.queue.next().with_context(|| {
                format!(
                    "{}: fewer problems than the shard's documents say",
                    self.source.display()
                )
            })?;
            problems.push(p);
            self.pushed += 1;
        }
        let Some(ids) = ids else {
            return Ok(None);
        };
        let mut doc = corpus_core::Document::new(id, path, "");
        doc.origin.line = line;
        let warning = ids.check(&doc);
        if let Some(w) = &warning {
            problems.push(w.clone());
        }
        Ok(warning)
    }

    /// Puts the shard's problems after its last document into `problems`.
    pub(crate) fn finish(self, problems: &mut crate::report::Problems) {
        self.queue.for_each(|p| problems.push(p));
    }
}

/// The problems a shard wrote, as it wrote them.
fn read_problems(path: &Path) -> Result<Vec<corpus_core::Problem>> {
    let mut rows =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for row in rows.records() {
        let row = row.with_context(|| format!("{}", path.display()))?;
        let field = |i: usize| row.get(i).unwrap_or_default();
        let kind: corpus_core::ProblemKind =
            serde_json::from_value(serde_json::Value::String(field(0).to_owned()))
                .with_context(|| format!("{}: problem kind {:?}", path.display(), field(0)))?;
        let number = |s: &str| s.parse::<u64>().ok();
        let mut p = corpus_core::Problem::new(kind, field(2), field(5));
        p.line = number(field(3));
        p.column = number(field(4));
        out.push(p);
    }
    Ok(out)
}

fn read_manifest(path: &Path) -> Result<Value> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: not a run manifest", path.display()))?;
    if value["corpus_run"] != MANIFEST_VERSION {
        bail!(
            "{}: a run manifest of version {}, this build reads version {MANIFEST_VERSION}",
            path.display(),
            value["corpus_run"]
        );
    }
    Ok(value)
}

/// Shards as an `sbatch --array=` list: `0,3-5,7`.
pub(crate) fn array_spec(shards: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < shards.len() {
        let start = shards[i];
        let mut end = start;
        while i + 1 < shards.len() && shards[i + 1] == end + 1 {
            i += 1;
            end = shards[i];
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    out.join(",")
}

#[cfg(test)]
mod tests {
    use super::array_spec;

    #[test]
    fn arrays_for_sbatch() {
        assert_eq!(array_spec(&[]), "");
        assert_eq!(array_spec(&[3]), "3");
        assert_eq!(array_spec(&[0, 3, 4, 5, 7]), "0,3-5,7");
    }
}
