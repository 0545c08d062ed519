"""Where the database lives: warn about network shares and cloud-synced folders.

SQLite's write-ahead log works through shared memory that only processes on one computer share,
and it keeps the data in two files (``x.sqlite3`` and ``x.sqlite3-wal``). On a network share the
locking can fail silently; a sync program (Dropbox, OneDrive …) uploads the two files at
different moments, may copy the file halfway through a save, and brings back old copies from
other computers. Either can lose changes or damage the file. Backups are fine in such folders:
each is one closed file, renamed into place when complete.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from freelancer_desk.i18n import _

#: File system types of network shares (Linux ``/proc/mounts``, macOS ``mount``).
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "sshfs",
        "afs",
        "afpfs",
        "ncpfs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "webdav",
        "coda",
    }
)

#: Folder names that sync programs create (compared without case).
CLOUD_FOLDER_NAMES: dict[str, str] = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "com~apple~clouddocs": "iCloud Drive",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "pcloud drive": "pCloud",
}

#: Files a sync program keeps at the top of the folder it syncs (exact names).
CLOUD_MARKER_FILES: dict[str, str] = {
    ".dropbox": "Dropbox",
    ".stfolder": "Syncthing",
    ".owncloudsync.log": "Nextcloud / ownCloud",
}

#: Name beginnings of the sync journals of the Nextcloud and ownCloud desktop clients.
CLOUD_MARKER_PREFIXES: dict[str, str] = {
    ".sync_": "Nextcloud / ownCloud",
    "._sync_": "Nextcloud / ownCloud",
}

NETWORK = "network"
CLOUD = "cloud"


@dataclass(frozen=True)
class LocationWarning:
    """A reason why the database's folder is unsafe for it."""

    kind: str
    #: The file system type or the sync service that was recognised.
    what: str
    path: Path

    def message(self) -> str:
        """The warning in the user's language."""
        if self.kind == NETWORK:
            return _(
                "The database {path} lies on a network drive ({what}). SQLite cannot lock it "
                "reliably there, so changes can be lost or the file damaged. Keep the database on "
                "this computer and choose the network drive as backup folder instead."
            ).format(path=self.path, what=self.what)
        return _(
            "The database {path} lies in a folder synchronised by {what}. The sync program can "
            "copy the file halfway through a save or bring back an old copy, which loses changes "
            "or damages the file. Keep the database outside the synchronised folder and choose "
            "that folder for backups instead."
        ).format(path=self.path, what=self.what)


def location_warnings(path: Path) -> list[LocationWarning]:
    """What is unsafe about the folder of ``path`` (empty when nothing is)."""
    path = Path(path).expanduser().resolve()
    warnings = []
    network = network_filesystem(path)
    if network:
        warnings.append(LocationWarning(NETWORK, network, path))
    cloud = cloud_service(path)
    if cloud:
        warnings.append(LocationWarning(CLOUD, cloud, path))
    return warnings


# --------------------------------------------------------------------------------------------
# Network shares
# --------------------------------------------------------------------------------------------


def network_filesystem(path: Path) -> str | None:
    """The network file system type ``path`` lies on, or None for a local disk."""
    if os.name == "nt":
        return windows_network_kind(str(path), _windows_drive_type)
    mounts = _mount_table()
    fstype = filesystem_of(path, mounts)
    return fstype if fstype and is_network_filesystem(fstype) else None


def is_network_filesystem(fstype: str) -> bool:
    """Network shares, and FUSE file systems (sshfs, rclone, gvfs …) which mostly are."""
    return fstype in NETWORK_FILESYSTEMS or fstype.startswith("fuse.")


def parse_proc_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, file system type) pairs from Linux ``/proc/mounts``."""
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append((_unescape_octal(parts[1]), parts[2]))
    return mounts


def _unescape_octal(text: str) -> str:
    r"""``/proc/mounts`` writes space, tab, newline and backslash as ``\040`` etc."""
    for code in ("040", "011", "012", "134"):
        text = text.replace("\\" + code, chr(int(code, 8)))
    return text


def parse_bsd_mount_output(text: str) -> list[tuple[str, str]]:
    """(mount point, type) pairs from macOS ``mount``.

    Lines look like ``//anna@nas/share on /Volumes/share (smbfs, nodev, nosuid)``.
    """
    mounts = []
    for line in text.splitlines():
        head, sep, options = line.rpartition(" (")
        if not sep or " on " not in head:
            continue
        mount_point = head.split(" on ", 1)[1]
        mounts.append((mount_point, options.split(",")[0].strip(" )")))
    return mounts


def filesystem_of(path: Path, mounts: list[tuple[str, str]]) -> str | None:
    """The type of the innermost mount that contains ``path``."""
    best: tuple[int, str] | None = None
    text = path.as_posix()
    for mount_point, fstype in mounts:
        prefix = mount_point.rstrip("/") + "/"
        if (text + "/").startswith(prefix) and (best is None or len(mount_point) >= best[0]):
            best = (len(mount_point), fstype)
    return None if best is None else best[1]


def _mount_table() -> list[tuple[str, str]]:
    try:
        return parse_proc_mounts(Path("/proc/mounts").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        pass
    if sys.platform == "darwin":
        try:
            output = subprocess.run(
                ["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return []
        return parse_bsd_mount_output(output)
    return []


#: ``GetDriveTypeW`` result of a network drive.
DRIVE_REMOTE = 4


def windows_network_kind(path: str, drive_type: object) -> str | None:
    """ "UNC" for ``\\\\server\\share`` paths, "network drive" for mapped letters, else None.

    ``drive_type(root)`` returns the Windows drive type of a root such as ``Z:\\``.
    """
    pure = PureWindowsPath(path)
    if pure.drive.startswith("\\\\"):
        return "UNC"
    if pure.drive and drive_type(pure.drive + "\\") == DRIVE_REMOTE:  # type: ignore[operator]  # drive_type exists on Windows only, where a drive is set
        return _("network drive")
    return None


def _windows_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]  # ctypes.windll exists on Windows only


# --------------------------------------------------------------------------------------------
# Cloud-synced folders
# --------------------------------------------------------------------------------------------


def cloud_service(path: Path) -> str | None:
    """The sync service whose folder holds ``path``, recognised by folder names or marker files."""
    for folder in [path.parent, *path.parent.parents]:
        by_name = cloud_folder_name(folder.name)
        if by_name:
            return by_name
        by_marker = _marker_in(folder)
        if by_marker:
            return by_marker
    return None


def cloud_folder_name(name: str) -> str | None:
    """The service a folder name belongs to (``OneDrive - Firma`` and ``GoogleDrive-x`` too)."""
    lowered = name.lower()
    for marker, service in CLOUD_FOLDER_NAMES.items():
        if lowered == marker or lowered.startswith((marker + " - ", marker + "-")):
            return service
    return None


def _marker_in(folder: Path) -> str | None:
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return None
    for name in names:
        if name in CLOUD_MARKER_FILES:
            return CLOUD_MARKER_FILES[name]
        for prefix, service in CLOUD_MARKER_PREFIXES.items():
            if name.startswith(prefix) and name.endswith(".db"):
                return service
    return None
