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
    let Some(reuters) = reuters_folder()? else {
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
    let missing = the_killed_shard(&corpus, &run)?;
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
fn reuters_folder() -> Result<Option<PathBuf>> {
    let Some(archive) = crate::reuters_articles("slurm") else {
        return Ok(None);
    };
    let reuters = crate::target_dir().join("bench/reuters");
    if !reuters.join(".complete").exists() {
        let _ = fs::remove_dir_all(&reuters);
        fs::create_dir_all(&reuters)?;
        crate::bench::untar(&archive, &reuters)?;
        fs::write(reuters.join(".complete"), "")?;
    }
    Ok(Some(reuters))
}

/// What `corpus status --missing` says of a run whose task 3 was killed: `3`, or an error.
fn the_killed_shard(corpus: &Path, run: &Path) -> Result<String> {
    let missing = Command::new(corpus)
        .args(["status", "--missing", "--run"])
        .arg(run)
        .output()?;
    let missing = String::from_utf8_lossy(&missing.stdout).trim().to_owned();
    if missing != "3" {
        bail!("corpus status --missing says {missing:?}, not 3");
    }
    Ok(missing)
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

mod dedup;
mod million;

use self::dedup::dedup_on_reuters;
use self::million::bench_million;
