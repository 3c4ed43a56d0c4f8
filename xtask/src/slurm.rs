//! `cargo xtask slurm`: sharded runs on a real Slurm, on this machine.
//!
//! Installs Debian's Slurm and munge when they are missing (`apt-get install
//! --no-install-recommends`, as root), starts a one-node cluster (munged, `slurmctld -D`,
//! `slurmd -D`, with a configuration of their own under `target/slurm`: one node of this
//! machine's CPUs, `proctrack/linuxproc`, `task/none`, `select/cons_tres`, no accounting), then:
//!
//! 1. submits `corpus stats` over the Reuters articles (unpacked into a folder) as an array of
//!    8 tasks, 2 at a time (`sbatch --array=0-7%2`), and the merge with
//!    `--dependency=afterok`; the merged summary and reports must equal a single run's, byte
//!    for byte;
//! 2. does it again with task 3 killed mid-run (SIGKILL): the merge never runs, `corpus status`
//!    names shard 3, its resubmission (`sbatch --array=$(corpus status --missing)`) and a new
//!    merge complete the run, equal to the single run again;
//!
//! and stops every daemon it started, by pid, whatever happened. Where packages cannot be
//! installed (not root, no apt-get), it says so and skips.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const PACKAGES: [&str; 4] = ["slurmctld", "slurmd", "slurm-client", "munge"];

/// The daemons started, stopped when this is dropped.
struct Cluster {
    children: Vec<(String, Child)>,
    munged_pid: Option<PathBuf>,
    conf: PathBuf,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Jobs still queued or running (a test that failed) go first, while slurmd can end
        // their steps.
        let _ = self
            .command("scancel")
            .args(["--user", "root"])
            .stderr(Stdio::null())
            .status();
        std::thread::sleep(Duration::from_millis(500));
        for (name, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
            eprintln!("slurm: stopped {name} (pid {})", child.id());
        }
        if let Some(pid_file) = &self.munged_pid
            && let Some(pid) = fs::read_to_string(pid_file)
                .ok()
                .and_then(|s| s.trim().parse::<i32>().ok())
        {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            eprintln!("slurm: stopped munged (pid {pid})");
        }
    }
}

impl Cluster {
    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("SLURM_CONF", &self.conf);
        c
    }

    /// Runs a Slurm client command, its standard output.
    fn run(&self, program: &str, args: &[&str]) -> Result<String> {
        let out = self
            .command(program)
            .args(args)
            .output()
            .with_context(|| format!("cannot run {program}"))?;
        if !out.status.success() {
            bail!(
                "{program} {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// Submits an array of `script` over `run` (`--array=SPEC`, logs `LOG-%a.log`, more sbatch
    /// options in `extra`); its job id.
    fn array(
        &self,
        spec: &str,
        log: &Path,
        extra: &[&str],
        script: &Path,
        run: &Path,
    ) -> Result<String> {
        let array = format!("--array={spec}");
        let log = format!("{}-%a.log", log.display());
        let mut args = vec!["--parsable", &array, "-o", &log];
        args.extend(extra);
        let (script, run) = (script.to_string_lossy(), run.to_string_lossy());
        args.extend([&*script, &*run]);
        self.run("sbatch", &args)
    }

    /// Submits `command` to run once `after` has succeeded (cancelled if it fails); its job id.
    fn after(&self, after: &str, log: &Path, command: &str) -> Result<String> {
        self.run(
            "sbatch",
            &[
                "--parsable",
                &format!("--dependency=afterok:{after}"),
                "--kill-on-invalid-dep=yes",
                "-o",
                &log.to_string_lossy(),
                "--wrap",
                command,
            ],
        )
    }

    /// Waits until the jobs have left the queue.
    fn wait(&self, jobs: &[&str], timeout: Duration) -> Result<()> {
        let started = Instant::now();
        loop {
            let queued = self.run("squeue", &["-h", "-j", &jobs.join(","), "-o", "%i %T %r"])?;
            if queued.is_empty() {
                return Ok(());
            }
            if started.elapsed() > timeout {
                bail!("jobs {jobs:?} still queued after {timeout:?}:\n{queued}");
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs Slurm and munge if they are missing; `Ok(false)` when that cannot be done here.
fn install() -> Result<bool> {
    if ["slurmctld", "slurmd", "sbatch", "munged"]
        .iter()
        .all(|p| have(p) || Path::new(&format!("/usr/sbin/{p}")).exists())
    {
        return Ok(true);
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    if !root || !have("apt-get") {
        eprintln!("slurm: skipped: Slurm is not installed and cannot be (needs root and apt-get)");
        return Ok(false);
    }
    eprintln!("slurm: installing {}", PACKAGES.join(" "));
    // A fresh machine's package lists may be empty. Without a package mirror the test cannot
    // run here at all: said, and skipped.
    if !Command::new("apt-get").arg("update").status()?.success() {
        eprintln!("slurm: skipped: apt-get update failed (no package mirror?)");
        return Ok(false);
    }
    let status = Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(PACKAGES)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()?;
    if !status.success() {
        eprintln!(
            "slurm: skipped: apt-get could not install {}",
            PACKAGES.join(" ")
        );
        return Ok(false);
    }
    Ok(true)
}

fn hostname() -> Result<String> {
    let out = Command::new("hostname").output()?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn start(dir: &Path) -> Result<Cluster> {
    let _ = fs::remove_dir_all(dir);
    for sub in ["state", "spool", "munge", "log"] {
        fs::create_dir_all(dir.join(sub))?;
    }
    let host = hostname()?;
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let d = dir.display();
    let conf = dir.join("slurm.conf");
    fs::write(
        &conf,
        format!(
            "ClusterName=corpus\nSlurmctldHost={host}\nSlurmUser=root\nSlurmdUser=root\n\
             AuthType=auth/munge\nAuthInfo=socket={d}/munge/munge.socket\n\
             StateSaveLocation={d}/state\nSlurmdSpoolDir={d}/spool\n\
             SlurmctldPidFile={d}/slurmctld.pid\nSlurmdPidFile={d}/slurmd.pid\n\
             SlurmctldPort=16817\nSlurmdPort=16818\n\
             ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n\
             SelectType=select/cons_tres\nSelectTypeParameters=CR_CPU\nReturnToService=2\n\
             JobAcctGatherType=jobacct_gather/none\nAccountingStorageType=accounting_storage/none\n\
             MpiDefault=none\nSlurmctldLogFile={d}/log/slurmctld.log\nSlurmdLogFile={d}/log/slurmd.log\n\
             NodeName={host} CPUs={cpus} State=UNKNOWN\n\
             PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n"
        ),
    )?;
    let munged = if Path::new("/usr/sbin/munged").exists() {
        "/usr/sbin/munged"
    } else {
        "munged"
    };
    let pid_file = dir.join("munge/munged.pid");
    let status = Command::new(munged)
        .arg("--force")
        .arg(format!("--socket={d}/munge/munge.socket"))
        .arg(format!("--pid-file={}", pid_file.display()))
        .arg(format!("--log-file={d}/log/munged.log"))
        .arg(format!("--seed-file={d}/munge/seed"))
        .status()
        .context("cannot start munged")?;
    if !status.success() {
        bail!("munged did not start (see {d}/log/munged.log)");
    }
    let mut cluster = Cluster {
        children: Vec::new(),
        munged_pid: Some(pid_file),
        conf: conf.clone(),
    };
    eprintln!("slurm: munged started");
    for daemon in ["slurmctld", "slurmd"] {
        let log = fs::File::create(dir.join(format!("log/{daemon}.out")))?;
        let child = Command::new(format!("/usr/sbin/{daemon}"))
            .arg("-D")
            .arg("-f")
            .arg(&conf)
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("cannot start {daemon}"))?;
        eprintln!("slurm: {daemon} started (pid {})", child.id());
        cluster.children.push((daemon.to_owned(), child));
    }
    // The node registers with the controller: idle once it has.
    let started = Instant::now();
    loop {
        let state = cluster
            .run("sinfo", &["-h", "-o", "%T"])
            .unwrap_or_default();
        if state.starts_with("idle") {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("the node is not idle after a minute ({state:?}); logs in {d}/log");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    eprintln!("slurm: one node ({cpus} CPUs) idle");
    Ok(cluster)
}

/// The files of a `stats --json --csv` output: stdout and every report, sorted by name.
fn outputs(json: &Path, csv: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = vec![("stdout".to_owned(), fs::read(json)?)];
    let mut names: Vec<String> = fs::read_dir(csv)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<std::io::Result<_>>()?;
    names.sort();
    for name in names {
        out.push((name.clone(), fs::read(csv.join(&name))?));
    }
    Ok(out)
}

fn same(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) -> Result<()> {
    let names = |r: &[(String, Vec<u8>)]| r.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if names(a) != names(b) {
        bail!("{what}: files {:?} against {:?}", names(a), names(b));
    }
    for ((name, x), (_, y)) in a.iter().zip(b) {
        if x != y {
            bail!("{what}: {name} differs from the single run's");
        }
    }
    eprintln!(
        "slurm: {what}: {} files equal the single run's, byte for byte",
        a.len()
    );
    Ok(())
}

pub(crate) fn run(bench: bool) -> Result<()> {
    if !install()? {
        return Ok(());
    }
    let root = crate::root();
    let work = crate::target_dir().join("slurm");
    let corpus = crate::bench::build_checked(&root)?.join("corpus");
    let Some(reuters) = reuters_folder(&root)? else {
        return Ok(());
    };
    // Nothing of an earlier run may pass for this one's: run directories, merges, logs.
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work)?;
    let cluster = start(&work.join("cluster"))?;
    let c = corpus.display();
    let input = reuters.display();

    // The single run, for the comparisons.
    let single = work.join("single");
    fs::create_dir_all(&single)?;
    let status = Command::new(&corpus)
        .args(["stats", "--quiet", "--json", "--csv"])
        .arg(single.join("csv"))
        .arg(&reuters)
        .stdout(fs::File::create(single.join("stats.json"))?)
        .status()?;
    if !status.success() {
        bail!("the single run failed");
    }
    let single = outputs(&single.join("stats.json"), &single.join("csv"))?;

    // The task script: one shard, chosen by SLURM_ARRAY_TASK_ID (the count from the array,
    // or, for a resubmission of some tasks, from the run's manifest). With KILL_TASK set, that
    // task is killed once it has started its shard ([`killed`]).
    let script = work.join("stats.sbatch");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\nset -e\n\
             if [ \"$SLURM_ARRAY_TASK_ID\" = \"${{KILL_TASK:-none}}\" ]; then\n{}fi\n\
             exec {c} stats --quiet --run \"$1\" {input}\n",
            killed(&format!("{c} stats --quiet --run \"$1\" {input}"), "shards")
        ),
    )?;
    let merge = |run: &Path, out: &Path| -> Result<String> {
        fs::create_dir_all(out)?;
        let r = run.display();
        let o = out.display();
        Ok(format!(
            "{c} stats --quiet --merge --run {r} --json --csv {o}/csv > {o}/stats.json"
        ))
    };

    // 1. The array and the merge after it.
    let run = work.join("run-1");
    let out = work.join("merged-1");
    let started = Instant::now();
    let array = cluster.array("0-7%2", &work.join("task"), &[], &script, &run)?;
    let merged = cluster.after(&array, &work.join("merge-1.log"), &merge(&run, &out)?)?;
    eprintln!("slurm: submitted array {array} (8 tasks, 2 at a time) and merge {merged}");
    cluster.wait(&[&array, &merged], Duration::from_secs(300))?;
    eprintln!("slurm: array and merge done in {:.1?}", started.elapsed());
    same(
        &outputs(&out.join("stats.json"), &out.join("csv"))?,
        &single,
        "8 shards merged",
    )?;

    // 2. Task 3 killed: the merge is cancelled, status names the shard, its resubmission
    // and a new merge complete the run.
    let run = work.join("run-2");
    let out = work.join("merged-2");
    let kill = ["--export=ALL,KILL_TASK=3"];
    let array = cluster.array("0-7%2", &work.join("task2"), &kill, &script, &run)?;
    let merged = cluster.after(&array, &work.join("merge-2.log"), &merge(&run, &out)?)?;
    eprintln!("slurm: submitted array {array} with task 3 to be killed, and merge {merged}");
    cluster.wait(&[&array, &merged], Duration::from_secs(300))?;
    if out.join("stats.json").exists() && fs::metadata(out.join("stats.json"))?.len() > 0 {
        bail!("the merge ran although a task had failed");
    }
    let status = Command::new(&corpus)
        .args(["status", "--run"])
        .arg(&run)
        .output()?;
    let report = String::from_utf8_lossy(&status.stdout).into_owned();
    eprint!("slurm: corpus status:\n{report}");
    let missing = Command::new(&corpus)
        .args(["status", "--missing", "--run"])
        .arg(&run)
        .output()?;
    let missing = String::from_utf8_lossy(&missing.stdout).trim().to_owned();
    if missing != "3" {
        bail!("corpus status --missing says {missing:?}, not 3");
    }
    let again = cluster.array(&missing, &work.join("task3-again"), &[], &script, &run)?;
    let merged = cluster.after(&again, &work.join("merge-3.log"), &merge(&run, &out)?)?;
    eprintln!("slurm: resubmitted --array={missing} as {again}, merge {merged}");
    cluster.wait(&[&again, &merged], Duration::from_secs(300))?;
    same(
        &outputs(&out.join("stats.json"), &out.join("csv"))?,
        &single,
        "after task 3 was killed and resubmitted",
    )?;
    dedup_on_reuters(&cluster, &work, &corpus, &reuters)?;
    if bench {
        bench_million(&cluster, &root, &work, &corpus)?;
    }
    drop(cluster);
    eprintln!("slurm: all passed");
    Ok(())
}

/// The Reuters articles unpacked once into `target/bench/reuters`; `None` (and a line saying
/// so) when the archive is not beside the checkout.
fn reuters_folder(root: &Path) -> Result<Option<PathBuf>> {
    let archive = root.join("../shared/data/reuters21578/reuters-articles.tar.gz");
    if !archive.exists() {
        eprintln!(
            "slurm: skipped: the Reuters articles are not at {}",
            archive.display()
        );
        return Ok(None);
    }
    let reuters = crate::target_dir().join("bench/reuters");
    if !reuters.join(".complete").exists() {
        let _ = fs::remove_dir_all(&reuters);
        fs::create_dir_all(&reuters)?;
        crate::bench::untar(&archive, &reuters)?;
        fs::write(reuters.join(".complete"), "")?;
    }
    Ok(Some(reuters))
}

/// The lines of a task script that run `command` and kill it with SIGKILL once it has started
/// its part-files (`$1/FOLDER/.NNNNN.partial`, stopped and let on in steps of 2 ms until it is
/// there, so that it cannot finish first), as a node failure would; the task then fails.
fn killed(command: &str, folder: &str) -> String {
    format!(
        "\u{20} {command} & pid=$!\n\
         \u{20} kill -STOP $pid; n=0\n\
         \u{20} while [ ! -d \"$1/{folder}/.$(printf %05d $SLURM_ARRAY_TASK_ID).partial\" ] && [ $n -lt 1000 ]; do\n\
         \u{20}   kill -CONT $pid; sleep 0.002; kill -STOP $pid; n=$((n+1))\n\
         \u{20} done\n\
         \u{20} kill -KILL $pid; wait $pid || true; exit 1\n"
    )
}

/// The outputs of a dedup run written into `dir`: the summary, kept documents, clusters, lines.
fn dedup_outputs(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    ["dedup.json", "kept.jsonl", "clusters.csv", "lines.csv"]
        .into_iter()
        .map(|name| {
            let path = dir.join(name);
            Ok((
                name.to_owned(),
                fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?,
            ))
        })
        .collect()
}

/// The stages of a sharded dedup: name and array (`clusters` is one task).
const DEDUP_STAGES: [(&str, &str); 4] = [
    ("signatures", "0-7%2"),
    ("pairs", "0-7%2"),
    ("clusters", "0"),
    ("kept", "0-7%2"),
];

/// Writes the task script of every dedup stage (the stage from `$STAGE`): with `KILL_TASK`
/// set, that signatures task is killed with SIGKILL once it has started, as for stats.
fn dedup_script(
    path: &Path,
    corpus: &Path,
    options: &str,
    input: &Path,
    threads: &str,
) -> Result<()> {
    let (c, i) = (corpus.display(), input.display());
    let command = format!("{c} dedup --quiet {threads} {options} --run \"$1\" --stage $STAGE $in");
    fs::write(
        path,
        format!(
            "#!/bin/sh\nset -e\ndate +%s.%N\n\
             case \"$STAGE\" in signatures|kept) in={i};; *) in=;; esac\n\
             if [ \"$STAGE\" = signatures ] && [ \"$SLURM_ARRAY_TASK_ID\" = \"${{KILL_TASK:-none}}\" ]; then\n{}fi\n\
             {command}\n\
             date +%s.%N\n",
            killed(&command, "signatures")
        ),
    )?;
    Ok(())
}

/// Submits the stages (the first as `first_array` when given), each after the one before (`afterok`), then the merge
/// (`merge`, a shell command); the job ids, the merge's last.
fn submit_dedup(
    cluster: &Cluster,
    script: &Path,
    run: &Path,
    logs: &Path,
    first_array: Option<&str>,
    extra: &[&str],
    merge: &str,
) -> Result<Vec<String>> {
    let mut jobs: Vec<String> = Vec::new();
    for (k, (stage, spec)) in DEDUP_STAGES.iter().enumerate() {
        let spec = if k == 0 {
            first_array.unwrap_or(spec)
        } else {
            spec
        };
        let export = format!("--export=ALL,STAGE={stage}");
        let mut args: Vec<String> = vec![export];
        if let Some(kill) = extra.iter().find(|e| e.starts_with("KILL_TASK=")) {
            args[0] = format!("{},{kill}", args[0]);
        }
        args.extend(
            extra
                .iter()
                .filter(|e| !e.starts_with("KILL_TASK="))
                .map(|e| e.to_string()),
        );
        if let Some(before) = jobs.last() {
            args.push(format!("--dependency=afterok:{before}"));
            args.push("--kill-on-invalid-dep=yes".into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let id = cluster.array(spec, &logs.join(stage), &args, script, run)?;
        jobs.push(id);
    }
    let last = jobs.last().context("no stage submitted")?.clone();
    jobs.push(cluster.after(&last, &logs.join("merge.log"), merge)?);
    Ok(jobs)
}

/// `corpus dedup --preset news` of the Reuters articles in 8 shards through the four stages
/// and the merge, each stage an array after the one before; then with signatures task 3
/// killed, resubmitted from `corpus status --missing`. Both equal the single run, byte for
/// byte.
fn dedup_on_reuters(cluster: &Cluster, work: &Path, corpus: &Path, reuters: &Path) -> Result<()> {
    let c = corpus.display();
    let options = "--preset news --min-docs 3";
    let single = work.join("dedup-single");
    fs::create_dir_all(&single)?;
    let merge_into = |run: &Path, out: &Path| -> Result<String> {
        fs::create_dir_all(out)?;
        let (r, o) = (run.display(), out.display());
        Ok(format!(
            "{c} dedup --quiet {options} --merge --run {r} --json -o {o}/kept.jsonl --clusters {o}/clusters.csv --lines {o}/lines.csv > {o}/dedup.json"
        ))
    };
    let s = single.display();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{c} dedup --quiet {options} --json -o {s}/kept.jsonl --clusters {s}/clusters.csv --lines {s}/lines.csv {} > {s}/dedup.json",
            reuters.display()
        ))
        .status()?;
    if !status.success() {
        bail!("the single dedup run failed");
    }
    let single = dedup_outputs(&single)?;
    let script = work.join("dedup.sbatch");
    dedup_script(&script, corpus, options, reuters, "")?;

    let run = work.join("dedup-run-1");
    let out = work.join("dedup-merged-1");
    let logs = work.join("dedup-logs-1");
    fs::create_dir_all(&logs)?;
    let started = Instant::now();
    let jobs = submit_dedup(
        cluster,
        &script,
        &run,
        &logs,
        None,
        &[],
        &merge_into(&run, &out)?,
    )?;
    eprintln!(
        "slurm: dedup: submitted signatures {}, pairs {}, clusters {}, kept {} (arrays of 8, 2 at a time, each afterok) and merge {}",
        jobs[0], jobs[1], jobs[2], jobs[3], jobs[4]
    );
    let refs: Vec<&str> = jobs.iter().map(String::as_str).collect();
    cluster.wait(&refs, Duration::from_secs(600))?;
    eprintln!(
        "slurm: dedup: stages and merge done in {:.1?}",
        started.elapsed()
    );
    same(
        &dedup_outputs(&out)?,
        &single,
        "dedup: 8 shards in 4 stages merged",
    )?;

    // Signatures task 3 killed: every later stage is cancelled; status names the task; its
    // resubmission and the stages after it complete the run.
    let run = work.join("dedup-run-2");
    let out = work.join("dedup-merged-2");
    let logs = work.join("dedup-logs-2");
    fs::create_dir_all(&logs)?;
    let jobs = submit_dedup(
        cluster,
        &script,
        &run,
        &logs,
        None,
        &["KILL_TASK=3"],
        &merge_into(&run, &out)?,
    )?;
    eprintln!("slurm: dedup: submitted the stages with signatures task 3 to be killed");
    let refs: Vec<&str> = jobs.iter().map(String::as_str).collect();
    cluster.wait(&refs, Duration::from_secs(600))?;
    if out.join("dedup.json").exists() && fs::metadata(out.join("dedup.json"))?.len() > 0 {
        bail!("the dedup merge ran although a task had failed");
    }
    let status = Command::new(corpus)
        .args(["status", "--run"])
        .arg(&run)
        .output()?;
    eprint!(
        "slurm: corpus status:\n{}",
        String::from_utf8_lossy(&status.stdout)
    );
    let missing = Command::new(corpus)
        .args(["status", "--missing", "--run"])
        .arg(&run)
        .output()?;
    let missing = String::from_utf8_lossy(&missing.stdout).trim().to_owned();
    if missing != "3" {
        bail!("corpus status --missing says {missing:?}, not 3");
    }
    let logs = work.join("dedup-logs-3");
    fs::create_dir_all(&logs)?;
    let jobs = submit_dedup(
        cluster,
        &script,
        &run,
        &logs,
        Some(&missing),
        &[],
        &merge_into(&run, &out)?,
    )?;
    eprintln!(
        "slurm: dedup: resubmitted signatures --array={missing}, then the later stages and the merge"
    );
    let refs: Vec<&str> = jobs.iter().map(String::as_str).collect();
    cluster.wait(&refs, Duration::from_secs(600))?;
    same(
        &dedup_outputs(&out)?,
        &single,
        "dedup: after signatures task 3 was killed and resubmitted",
    )?;
    Ok(())
}

/// Seconds since the epoch, as the task scripts print them.
fn stamps(log: &Path) -> Result<(f64, f64)> {
    let text = fs::read_to_string(log).with_context(|| format!("cannot read {}", log.display()))?;
    let mut numbers = text
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok());
    let start = numbers.next().context("no start time")?;
    let end = numbers.next().context("no end time")?;
    Ok((start, end))
}

/// `corpus stats` of the generated 1M-document corpus (one JSON Lines file, read in 8 parts):
/// a single run against the array and the merge through Slurm, wall times and the slowest task.
fn bench_million(cluster: &Cluster, root: &Path, work: &Path, corpus: &Path) -> Result<()> {
    let dir = crate::target_dir().join("bench/dedup-1000000");
    if !dir.join(".complete").exists() {
        let options = crate::generate::GenOptions {
            docs: 1_000_000,
            seed: 3,
            out: dir.clone(),
            format: crate::generate::OutFormat::Jsonl,
            copy_rate: 0.3,
            hard: false,
        };
        crate::generate::run(&options, &root.join("../shared/data"))?;
        fs::write(dir.join(".complete"), "")?;
    }
    let input = dir.join("corpus.jsonl");
    let c = corpus.display();
    let i = input.display();
    let mut singles = Vec::new();
    let mut sharded = Vec::new();
    let mut slowest = Vec::new();
    let mut merges = Vec::new();
    for round in 0..3 {
        let started = Instant::now();
        let status = Command::new(corpus)
            .args(["stats", "--quiet", "--json"])
            .arg(&input)
            .stdout(Stdio::null())
            .status()?;
        if !status.success() {
            bail!("the single run failed");
        }
        singles.push(started.elapsed().as_secs_f64());
        let run = work.join(format!("bench-run-{round}"));
        let _ = fs::remove_dir_all(&run);
        let logs = work.join(format!("bench-{round}"));
        let _ = fs::remove_dir_all(&logs);
        fs::create_dir_all(&logs)?;
        let script = logs.join("task.sbatch");
        fs::write(
            &script,
            format!(
                "#!/bin/sh
set -e
date +%s.%N
{c} stats --quiet --threads 1 --run {} {i}
date +%s.%N
",
                run.display()
            ),
        )?;
        let started = Instant::now();
        let array = cluster.array(
            "0-7",
            &logs.join("task"),
            &["--cpus-per-task=1"],
            &script,
            &run,
        )?;
        let merge = cluster.after(
            &array,
            &logs.join("merge.log"),
            &format!(
                "date +%s.%N; {c} stats --quiet --merge --run {} --json > /dev/null; date +%s.%N",
                run.display()
            ),
        )?;
        cluster.wait(&[&array, &merge], Duration::from_secs(1200))?;
        sharded.push(started.elapsed().as_secs_f64());
        let mut longest: f64 = 0.0;
        for task in 0..8 {
            let (a, b) = stamps(&logs.join(format!("task-{task}.log")))?;
            longest = longest.max(b - a);
        }
        slowest.push(longest);
        let (a, b) = stamps(&logs.join("merge.log"))?;
        merges.push(b - a);
        eprintln!(
            "slurm: bench round {round}: single {:.2} s, 8 shards + merge {:.2} s (slowest task {longest:.2} s, merge {:.2} s)",
            singles[round],
            sharded[round],
            b - a
        );
    }
    let median = crate::bench::median;
    let dedup = bench_dedup_million(cluster, work, corpus, &input)?;
    println!(
        "| stats, 1,000,000 generated documents (one JSON Lines file) | wall time (median of 3) |\n|---|---:|\n\
         | single run (2 threads) | {:.2} s |\n\
         | 8 shards (1 thread each, 2 at a time) and merge, submit to merge done | {:.2} s |\n\
         | slowest shard task | {:.2} s |\n\
         | merge | {:.2} s |",
        median(singles),
        median(sharded),
        median(slowest),
        median(merges)
    );
    println!("\n{dedup}");
    Ok(())
}

/// `corpus dedup --clusters` (the default options, as `cargo xtask bench dedup`) of the 1M
/// documents: a single run against the four stages and the merge through Slurm; the slowest
/// task of each stage, and the clustering step's own time. Returns the table.
fn bench_dedup_million(
    cluster: &Cluster,
    work: &Path,
    corpus: &Path,
    input: &Path,
) -> Result<String> {
    let c = corpus.display();
    let mut singles = Vec::new();
    let mut sharded = Vec::new();
    let mut slowest: Vec<Vec<f64>> = vec![Vec::new(); DEDUP_STAGES.len()];
    let mut clustering = Vec::new();
    let mut merges = Vec::new();
    for round in 0..3 {
        let logs = work.join(format!("bench-dedup-{round}"));
        let _ = fs::remove_dir_all(&logs);
        fs::create_dir_all(&logs)?;
        let started = Instant::now();
        let status = Command::new(corpus)
            .args(["dedup", "--quiet", "--clusters"])
            .arg(logs.join("single.csv"))
            .arg(input)
            .stdout(Stdio::null())
            .status()?;
        if !status.success() {
            bail!("the single dedup run failed");
        }
        singles.push(started.elapsed().as_secs_f64());
        let run = work.join(format!("bench-dedup-run-{round}"));
        let _ = fs::remove_dir_all(&run);
        let script = logs.join("task.sbatch");
        dedup_script(&script, corpus, "", input, "--threads 1")?;
        let merge = format!(
            "date +%s.%N; {c} dedup --quiet --merge --run {} --clusters {} > /dev/null; date +%s.%N",
            run.display(),
            logs.join("merged.csv").display()
        );
        let started = Instant::now();
        let jobs = submit_dedup(
            cluster,
            &script,
            &run,
            &logs,
            None,
            &["--cpus-per-task=1"],
            &merge,
        )?;
        let refs: Vec<&str> = jobs.iter().map(String::as_str).collect();
        cluster.wait(&refs, Duration::from_secs(3600))?;
        sharded.push(started.elapsed().as_secs_f64());
        if fs::read(logs.join("single.csv"))? != fs::read(logs.join("merged.csv"))? {
            bail!("the 1M dedup merged is not the single run's clusters");
        }
        for (k, (stage, _)) in DEDUP_STAGES.iter().enumerate() {
            let tasks = if *stage == "clusters" { 1 } else { 8 };
            let mut longest: f64 = 0.0;
            for task in 0..tasks {
                let (a, b) = stamps(&logs.join(format!("{stage}-{task}.log")))?;
                longest = longest.max(b - a);
            }
            slowest[k].push(longest);
        }
        let marker: serde_json::Value =
            serde_json::from_slice(&fs::read(run.join("done/clusters/00000.json"))?)?;
        clustering.push(
            marker["summary"]["clustering_seconds"]
                .as_f64()
                .unwrap_or(0.0),
        );
        let (a, b) = stamps(&logs.join("merge.log"))?;
        merges.push(b - a);
        eprintln!(
            "slurm: dedup bench round {round}: single {:.2} s, 4 stages + merge {:.2} s (slowest: signatures {:.2}, pairs {:.2}, clusters {:.2} of which clustering {:.2}, kept {:.2}; merge {:.2} s)",
            singles[round],
            sharded[round],
            slowest[0][round],
            slowest[1][round],
            slowest[2][round],
            clustering[round],
            slowest[3][round],
            merges[round]
        );
    }
    let median = crate::bench::median;
    let total = median(sharded.clone());
    let clustered = median(clustering.clone());
    let mut table = format!(
        "| dedup --clusters, 1,000,000 generated documents (one JSON Lines file) | wall time (median of 3) |\n|---|---:|\n\
         | single run (2 threads) | {:.2} s |\n\
         | 4 stages (arrays of 8, 1 thread each, 2 at a time) and merge, submit to merge done | {total:.2} s |\n",
        median(singles)
    );
    for (k, (stage, _)) in DEDUP_STAGES.iter().enumerate() {
        table.push_str(&format!(
            "| slowest {stage} task | {:.2} s |\n",
            median(slowest[k].clone())
        ));
    }
    table.push_str(&format!(
        "| clustering itself (in the clusters task) | {clustered:.2} s ({:.1} % of the sharded run) |\n| merge | {:.2} s |",
        100.0 * clustered / total,
        median(merges)
    ));
    Ok(table)
}
