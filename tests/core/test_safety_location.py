"""Where the database lives: network shares and cloud-synced folders are recognised."""

from __future__ import annotations

from pathlib import Path

import pytest

from freelancer_desk import location
from freelancer_desk.location import (
    cloud_folder_name,
    cloud_service,
    filesystem_of,
    is_network_filesystem,
    location_warnings,
    parse_bsd_mount_output,
    parse_proc_mounts,
    windows_network_kind,
)

PROC_MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
/dev/nvme0n1p1 /boot/efi vfat rw 0 0
server:/export/home /home/anna/nas nfs4 rw,relatime,vers=4.2 0 0
//fileserver/Kunden /mnt/Kunden\\040Archiv cifs rw,vers=3.1.1 0 0
anna@host:/srv /home/anna/remote fuse.sshfs rw,nosuid 0 0
tmpfs /tmp tmpfs rw 0 0
"""

MAC_MOUNT = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
//anna@nas._smb._tcp.local/Daten on /Volumes/Daten (smbfs, nodev, nosuid, mounted by anna)
/dev/disk5s1 on /Volumes/Backup Disk (apfs, local, nodev, nosuid, journaled)
"""


def test_proc_mounts_are_read_with_escaped_spaces() -> None:
    mounts = parse_proc_mounts(PROC_MOUNTS)
    assert ("/mnt/Kunden Archiv", "cifs") in mounts
    assert len(mounts) == 6


@pytest.mark.parametrize(
    ("path", "fstype", "network"),
    [
        ("/home/anna/desk.sqlite3", "ext4", False),
        ("/home/anna/nas/Freelancer/desk.sqlite3", "nfs4", True),
        ("/home/anna/nasty/desk.sqlite3", "ext4", False),  # a prefix of the name is no mount
        ("/mnt/Kunden Archiv/desk.sqlite3", "cifs", True),
        ("/home/anna/remote/desk.sqlite3", "fuse.sshfs", True),
        ("/tmp/desk.sqlite3", "tmpfs", False),
    ],
)
def test_the_innermost_mount_decides(path: str, fstype: str, network: bool) -> None:
    found = filesystem_of(Path(path), parse_proc_mounts(PROC_MOUNTS))
    assert found == fstype
    assert is_network_filesystem(found) is network


def test_macos_mount_output_is_understood() -> None:
    mounts = parse_bsd_mount_output(MAC_MOUNT)
    assert filesystem_of(Path("/Volumes/Daten/desk.sqlite3"), mounts) == "smbfs"
    assert filesystem_of(Path("/Volumes/Backup Disk/desk.sqlite3"), mounts) == "apfs"
    assert filesystem_of(Path("/Users/anna/desk.sqlite3"), mounts) == "apfs"


def test_windows_shares_and_network_drives() -> None:
    def drive_type(root: str) -> int:
        return location.DRIVE_REMOTE if root == "Z:\\" else 3  # 3: a fixed disk

    assert windows_network_kind(r"\\nas\daten\desk.sqlite3", drive_type) == "UNC"
    assert windows_network_kind(r"Z:\Kunden\desk.sqlite3", drive_type) == "network drive"
    assert windows_network_kind(r"C:\Users\anna\desk.sqlite3", drive_type) is None


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("Dropbox", "Dropbox"),
        ("OneDrive - Müller GmbH", "OneDrive"),
        ("OneDrive", "OneDrive"),
        ("GoogleDrive-anna@example.com", "Google Drive"),
        ("Google Drive", "Google Drive"),
        ("iCloud Drive", "iCloud Drive"),
        ("com~apple~CloudDocs", "iCloud Drive"),
        ("Nextcloud", "Nextcloud"),
        ("ownCloud", "ownCloud"),
        ("Dropboxes", None),
        ("Documents", None),
    ],
)
def test_cloud_folders_by_name(name: str, service: str | None) -> None:
    assert cloud_folder_name(name) == service


@pytest.mark.parametrize(
    ("marker", "service"),
    [
        (".stfolder", "Syncthing"),
        (".dropbox", "Dropbox"),
        (".sync_8f2a1b.db", "Nextcloud / ownCloud"),
    ],
)
def test_cloud_folders_by_the_marker_files_of_the_sync_program(
    tmp_path: Path, marker: str, service: str
) -> None:
    synced = tmp_path / "Arbeit"
    (synced / "Buchhaltung").mkdir(parents=True)
    (synced / marker).write_text("")
    assert cloud_service(synced / "Buchhaltung" / "desk.sqlite3") == service
    assert cloud_service(tmp_path / "desk.sqlite3") is None


def test_warnings_say_what_was_found_and_what_to_do(tmp_path: Path) -> None:
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    warnings = location_warnings(synced / "desk.sqlite3")
    assert [(w.kind, w.what) for w in warnings] == [(location.CLOUD, "Dropbox")]
    assert "synchronised by Dropbox" in warnings[0].message()
    assert "choose that folder for backups" in warnings[0].message()
    network = location.LocationWarning(
        location.NETWORK, "nfs4", Path("/home/anna/nas/desk.sqlite3")
    )
    assert "network drive (nfs4)" in network.message()


def test_a_local_folder_gives_no_warning(tmp_path: Path) -> None:
    assert location_warnings(tmp_path / "desk.sqlite3") == []
