/*
 * The front of dist/opstui: this program, followed by opstui's one-folder build (PyInstaller)
 * packed by packaging/bundle.py, is the one file handed on.
 *
 * The first run on a machine unpacks the folder into the user's cache, under a name made of
 * the version and the packed folder's hash:
 *     $XDG_CACHE_HOME/opstui/binary-ID/   or   $HOME/.cache/opstui/binary-ID/
 * (or $TMPDIR/opstui-UID/binary-ID/ when neither can be used), through a scratch folder beside
 * it that is renamed into place once complete, so a run that is stopped half-way, or two
 * first runs at once, never leave a partial folder under that name. Every run then replaces
 * itself (execv) with binary-ID/opstui and the same arguments: same process, same exit code,
 * same signals, and nothing unpacked again. A cache it cannot use (not a folder, not this
 * user's alone, not writable, on a mount that runs nothing) is passed over for the next one.
 * Unpacking a new build removes the folders of earlier ones that no running program uses:
 * each run holds a shared lock on a file in its folder (LOCK_FILE, made by the launcher, not
 * packed) for as long as it runs.
 *
 * The file ends with a trailer (TRAILER_SIZE bytes, little-endian):
 *     id[64]       the folder's name after "binary-", NUL-padded: [A-Za-z0-9._-]
 *     u64 offset   where the packed folder starts in the file
 *     u64 length   its length in bytes
 *     magic[8]     "opstuiP1"
 * and the packed folder is a list of entries, directories before what they hold:
 *     u8 kind ('d' or 'f'), u32 mode, u32 path length, u64 data length, path, data
 * with paths relative to the folder ('/'-separated, no "." or ".." part).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MAGIC "opstuiP1"
#define ID_SIZE 64
#define TRAILER_SIZE (ID_SIZE + 8 + 8 + 8)
#define ENTRY_HEAD 17
#define PREFIX "binary-"
#define SCRATCH ".unpack-"
#define LOCK_FILE ".opstui-lock"

struct packed {
    int fd;
    char id[ID_SIZE + 1];
    uint64_t offset;
    uint64_t length;
};

static void fail(int status, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    fputs("opstui: ", stderr);
    vfprintf(stderr, format, arguments);
    fputc('\n', stderr);
    va_end(arguments);
    exit(status);
}

static uint64_t little_endian(const unsigned char *bytes, int size) {
    uint64_t value = 0;
    for (int index = size - 1; index >= 0; index--) value = (value << 8) | bytes[index];
    return value;
}

static int read_exactly(int fd, void *buffer, size_t size, off_t at) {
    size_t done = 0;
    while (done < size) {
        ssize_t got = pread(fd, (char *)buffer + done, size - done, at + (off_t)done);
        if (got < 0 && errno == EINTR) continue;
        if (got == 0) errno = EIO; /* the file is shorter than it was */
        if (got <= 0) return -1;
        done += (size_t)got;
    }
    return 0;
}

static int write_all(int fd, const char *buffer, size_t size) {
    while (size > 0) {
        ssize_t put = write(fd, buffer, size);
        if (put < 0 && errno == EINTR) continue;
        if (put < 0) return -1;
        buffer += put;
        size -= (size_t)put;
    }
    return 0;
}

static void open_self(struct packed *self, const char *called) {
    self->fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    /* Without /proc (some containers), the path it was started by, when it names a file. */
    if (self->fd < 0 && called && strchr(called, '/'))
        self->fd = open(called, O_RDONLY | O_CLOEXEC);
    if (self->fd < 0) fail(1, "cannot read this program's own file: %s", strerror(errno));
    struct stat status;
    unsigned char trailer[TRAILER_SIZE];
    if (fstat(self->fd, &status) != 0 || status.st_size < TRAILER_SIZE ||
        read_exactly(self->fd, trailer, TRAILER_SIZE, status.st_size - TRAILER_SIZE) != 0 ||
        memcmp(trailer + TRAILER_SIZE - 8, MAGIC, 8) != 0)
        fail(1, "this file is damaged (it does not end with opstui's packed folder): "
                "copy it again");
    memcpy(self->id, trailer, ID_SIZE);
    self->id[ID_SIZE] = '\0';
    self->offset = little_endian(trailer + ID_SIZE, 8);
    self->length = little_endian(trailer + ID_SIZE + 8, 8);
    size_t id_length = strlen(self->id);
    int id_ok = id_length > 0 && self->id[0] != '.';
    for (size_t index = 0; index < id_length; index++)
        id_ok = id_ok && (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789._-", self->id[index]) != NULL);
    uint64_t before_trailer = (uint64_t)status.st_size - TRAILER_SIZE;
    if (!id_ok || self->offset > before_trailer || self->length != before_trailer - self->offset)
        fail(1, "this file is damaged (its trailer does not add up): copy it again");
}

/* A path inside the folder: relative, no empty, "." or ".." part. */
static int safe_path(const char *path) {
    if (path[0] == '\0' || path[0] == '/') return 0;
    const char *part = path;
    while (*part) {
        const char *end = strchr(part, '/');
        size_t size = end ? (size_t)(end - part) : strlen(part);
        if (size == 0 || (size == 1 && part[0] == '.') ||
            (size == 2 && part[0] == '.' && part[1] == '.'))
            return 0;
        if (!end) break;
        part = end + 1;
        if (*part == '\0') return 0;
    }
    return 1;
}

static int copy_range(int from, uint64_t at, int to, uint64_t size) {
    loff_t offset = (loff_t)at;
    while (size > 0) {
        ssize_t copied = copy_file_range(from, &offset, to, NULL, size, 0);
        if (copied < 0 && errno == EINTR) continue;
        if (copied <= 0) break;
        size -= (uint64_t)copied;
    }
    static char buffer[1 << 16];
    while (size > 0) {
        size_t chunk = size < sizeof buffer ? (size_t)size : sizeof buffer;
        if (read_exactly(from, buffer, chunk, (off_t)offset) != 0 ||
            write_all(to, buffer, chunk) != 0)
            return -1;
        offset += (loff_t)chunk;
        size -= chunk;
    }
    return 0;
}

/* Unpack the packed folder into the empty directory `into` (an open descriptor). Returns 0,
 * or -1 with errno set and `what` naming the entry that failed. */
static int unpack(const struct packed *self, int into, char *what, size_t what_size) {
    uint64_t at = self->offset, end = self->offset + self->length;
    char path[PATH_MAX];
    snprintf(what, what_size, "(packed folder)");
    while (at < end) {
        unsigned char head[ENTRY_HEAD];
        if (end - at < ENTRY_HEAD || read_exactly(self->fd, head, ENTRY_HEAD, (off_t)at) != 0)
            goto damaged;
        char kind = (char)head[0];
        mode_t mode = (mode_t)little_endian(head + 1, 4) & 0755;
        uint64_t path_size = little_endian(head + 5, 4), data_size = little_endian(head + 9, 8);
        at += ENTRY_HEAD;
        if (path_size == 0 || path_size >= sizeof path || end - at < path_size ||
            read_exactly(self->fd, path, (size_t)path_size, (off_t)at) != 0)
            goto damaged;
        path[path_size] = '\0';
        at += path_size;
        snprintf(what, what_size, "%s", path);
        if (!safe_path(path) || memchr(path, '\0', (size_t)path_size) || end - at < data_size)
            goto damaged;
        /* In a fresh scratch folder, an entry that exists already, or whose folder does not,
         * comes from a damaged list. */
        if (kind == 'd' && data_size == 0) {
            if (mkdirat(into, path, mode | 0700) != 0) goto failed;
        } else if (kind == 'f') {
            int out = openat(into, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode | 0600);
            if (out < 0) goto failed;
            int copied = copy_range(self->fd, at, out, data_size);
            int saved = errno;
            if (close(out) != 0 && copied == 0) return -1;
            errno = saved;
            if (copied != 0) return -1;
        } else {
            goto damaged;
        }
        at += data_size;
    }
    struct stat status;
    snprintf(what, what_size, "opstui");
    if (fstatat(into, "opstui", &status, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(status.st_mode))
        return 0;
damaged:
    errno = EBADMSG;
    return -1;
failed:
    if (errno == EEXIST || errno == ENOENT || errno == ENOTDIR) errno = EBADMSG;
    return -1;
}

/* Each folder's lock is a file in it, LOCK_FILE (a regular file, as NFS carries locks on
 * files only): it moves with its folder when the folder is renamed. Its path into `path`
 * (PATH_MAX bytes): 0, or -1 with errno when too long. */
static int lock_path(const char *folder, char *path) {
    if (snprintf(path, PATH_MAX, "%s/%s", folder, LOCK_FILE) < PATH_MAX) return 0;
    return errno = ENAMETOOLONG, -1;
}

/* `folder`'s lock file opened read-write, with `flags` added; -1 with errno if it cannot be. */
static int open_lock(const char *folder, int flags) {
    char path[PATH_MAX];
    return lock_path(folder, path) != 0 ? -1 : open(path, O_RDWR | O_NOFOLLOW | flags, 0600);
}

/* Whether the lock file open as `held` is still the one in the folder named `folder`. */
static int same_folder(int held, const char *folder) {
    char path[PATH_MAX];
    struct stat open_one, named;
    return lock_path(folder, path) == 0 && fstat(held, &open_one) == 0 &&
           lstat(path, &named) == 0 && S_ISREG(named.st_mode) &&
           open_one.st_ino == named.st_ino && open_one.st_dev == named.st_dev;
}

static int remove_entry(const char *path, const struct stat *status, int flag, struct FTW *walk) {
    (void)status, (void)flag, (void)walk;
    remove(path);
    return 0;
}

static void remove_tree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* A build folder removed if no program runs from it: every run holds a shared lock on its
 * folder's lock file for as long as it runs (hold_shared); removing takes it exclusively, so
 * only when no run holds it, and checks it is still the folder by that name. */
static void remove_unused(const char *root, const char *folder) {
    int lock = open_lock(folder, O_CREAT | O_CLOEXEC);
    if (lock < 0) return;
    char gone[PATH_MAX];
    /* Out of the way under the lock first: a removal that is stopped half-way leaves a
     * scratch folder, never a build folder with files missing. */
    if (flock(lock, LOCK_EX | LOCK_NB) == 0 && same_folder(lock, folder) &&
        snprintf(gone, sizeof gone, "%s/%sgone-%ld", root, SCRATCH, (long)getpid()) <
            (int)sizeof gone &&
        rename(folder, gone) == 0)
        remove_tree(gone);
    close(lock);
}

/* A scratch folder no run holds: one whose run was stopped while unpacking or removing. */
static void remove_unlocked(const char *scratch) {
    int lock = open_lock(scratch, O_CLOEXEC);
    /* No lock file: its run stopped before making it (or is about to, and will find its
     * scratch folder gone and make another). */
    if (lock < 0 && errno == ENOENT) remove_tree(scratch);
    if (lock < 0) return;
    if (flock(lock, LOCK_EX | LOCK_NB) == 0 && same_folder(lock, scratch)) remove_tree(scratch);
    close(lock);
}

/* After a new build was unpacked: the folders of other builds that no program runs from now
 * (an upgrade leaves the previous one behind; a build run again unpacks itself again), and
 * the scratch folders that no run is unpacking into or removing (each holds its scratch
 * folder's lock): those of runs that were stopped. */
static void remove_superseded(const char *root, const char *kept) {
    DIR *folder = opendir(root);
    if (!folder) return;
    struct dirent *entry;
    char path[PATH_MAX];
    while ((entry = readdir(folder)) != NULL) {
        struct stat status;
        int scratch = strncmp(entry->d_name, SCRATCH, strlen(SCRATCH)) == 0;
        int build = strncmp(entry->d_name, PREFIX, strlen(PREFIX)) == 0;
        if ((!scratch && !build) ||
            snprintf(path, sizeof path, "%s/%s", root, entry->d_name) >= (int)sizeof path ||
            strcmp(path, kept) == 0 || lstat(path, &status) != 0 || !S_ISDIR(status.st_mode))
            continue;
        if (scratch) remove_unlocked(path);
        else remove_unused(root, path);
    }
    closedir(folder);
}

/* Make `path` and its missing parents; the last one only this user's. 0, or -1 with errno. */
static int make_folders(const char *path) {
    char partial[PATH_MAX];
    size_t size = strlen(path);
    if (size == 0 || size >= sizeof partial) return errno = ENAMETOOLONG, -1;
    memcpy(partial, path, size + 1);
    for (char *slash = strchr(partial + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(partial, 0700) != 0 && errno != EEXIST) return -1;
        *slash = '/';
    }
    if (mkdir(partial, 0700) != 0 && errno != EEXIST) return -1;
    return 0;
}

/* A cache root this user alone owns and writes: a real directory, made if missing, and
 * `root` replaced by its real path (no link left in it). NULL, or why it cannot be used. */
static const char *usable_root(char *root, size_t size) {
    struct stat status;
    char real[PATH_MAX], part[PATH_MAX];
    if (make_folders(root) != 0) return strerror(errno);
    /* A link on the way is followed only if this user or root made it: another user's link
     * (say $TMPDIR/opstui-UID planted in /tmp) would send the unpacking where they chose. */
    size_t length = strlen(root);
    for (size_t end = 1; end <= length; end++) {
        if (end < length && root[end] != '/') continue;
        memcpy(part, root, end);
        part[end] = '\0';
        if (lstat(part, &status) == 0 && S_ISLNK(status.st_mode) &&
            status.st_uid != geteuid() && status.st_uid != 0)
            return "a link of another user's on the way";
    }
    if (realpath(root, real) == NULL) return strerror(errno);
    if (strlen(real) >= size) return strerror(ENAMETOOLONG);
    /* No folder above it that another user could rename it away from under it: each one
     * this user's or root's, and writable by others only with the sticky bit, as /tmp (so
     * that what was checked below is still what is run). */
    char above[PATH_MAX];
    snprintf(above, sizeof above, "%s", real);
    for (char *slash = strrchr(above, '/'); slash; slash = strrchr(above, '/')) {
        *slash = '\0';
        if (lstat(above[0] ? above : "/", &status) != 0) return strerror(errno);
        if (status.st_uid != geteuid() && status.st_uid != 0)
            return "inside a folder of another user's";
        if ((status.st_mode & 022) && !(status.st_mode & S_ISVTX))
            return "inside a folder other users can write into";
    }
    if (lstat(real, &status) != 0) return strerror(errno);
    if (!S_ISDIR(status.st_mode)) return "not a directory";
    if (status.st_uid != geteuid()) return "owned by another user";
    if (status.st_mode & 022) return "writable by other users";
    if (access(real, W_OK | X_OK) != 0) return strerror(errno);
    snprintf(root, size, "%s", real);
    return NULL;
}

/* A shared lock on the lock file open as `lock`, held through execv (the descriptor has no
 * close-on-exec) for as long as the program runs, so that no other run removes the folder
 * meanwhile. */
static int hold_shared(int lock) {
    if (lock >= 0 && flock(lock, LOCK_SH) == 0) return lock;
    if (lock >= 0) close(lock);
    return -1;
}

/* The folder unpacked before, locked: its descriptor, or -1 if it is not there (or not
 * whole, or not this user's). Locked before it is looked at, and checked to be still the
 * folder by that name once the lock is had: one being removed meanwhile is not taken. */
static int locked_folder(const char *folder, const char *program) {
    int lock = hold_shared(open_lock(folder, O_CREAT));
    struct stat status;
    if (lock >= 0 && same_folder(lock, folder) && lstat(folder, &status) == 0 &&
        status.st_uid == geteuid() && lstat(program, &status) == 0 && S_ISREG(status.st_mode))
        return lock;
    if (lock >= 0) close(lock);
    return -1;
}

/* A new scratch folder under `root`, open as `into`, and its lock held: the lock's
 * descriptor, or -1 with errno. One no run holds may be removed by another run's cleanup at
 * any moment, so it is made again if that happened before the lock was had. */
static int new_scratch(const char *root, char *scratch, size_t size, int *into) {
    for (int attempt = 0; attempt < 8; attempt++) {
        if (snprintf(scratch, size, "%s/%sXXXXXX", root, SCRATCH) >= (int)size)
            return errno = ENAMETOOLONG, -1;
        if (mkdtemp(scratch) == NULL) return -1;
        *into = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int lock = *into < 0 ? -1 : hold_shared(open_lock(scratch, O_CREAT | O_EXCL));
        if (lock >= 0 && same_folder(lock, scratch)) return lock;
        if (lock >= 0) close(lock);
        if (*into >= 0) close(*into);
        remove_unlocked(scratch);
    }
    return errno = EAGAIN, -1;
}

/* Unpack into a new scratch folder under `root` and rename it to `folder`: its locked
 * descriptor, or -1 with the reason in `why` (-2 when another run renamed its own folder
 * into place first, to be taken instead). A damaged file ends the run. */
static int unpack_folder(const struct packed *self, const char *root, const char *folder,
                         char *why, size_t why_size) {
    char scratch[PATH_MAX], what[PATH_MAX] = "its scratch folder";
    int into = -1, lock = new_scratch(root, scratch, sizeof scratch, &into);
    if (lock < 0) {
        snprintf(why, why_size, "%s: %s", root, strerror(errno));
        return -1;
    }
    /* The modes as packed, whatever the umask: a folder unpacked under umask 0177 must
     * still run under any other. */
    mode_t umask_before = umask(0);
    int result = unpack(self, into, what, sizeof what);
    int saved = errno;
    umask(umask_before);
    /* Written to the disk before the rename: a machine that stops right after the first run
     * must not find a folder by that name with files that never reached it. */
    if (result == 0 && syncfs(into) != 0) result = -1, saved = errno;
    if (result == 0 && rename(scratch, folder) == 0) {
        close(into);
        return lock; /* the lock file went with the folder */
    }
    if (result == 0) saved = errno;
    remove_tree(scratch);
    close(into);
    close(lock);
    if (result != 0 && saved == EBADMSG)
        fail(1, "this file is damaged (its packed folder is not whole at %s): copy it again",
             what);
    if (result == 0 && (saved == EEXIST || saved == ENOTEMPTY)) return -2;
    if (result != 0)
        snprintf(why, why_size, "cannot unpack into %s (%s): %s", root, what, strerror(saved));
    else
        snprintf(why, why_size, "cannot unpack into %s: %s", folder, strerror(saved));
    return -1;
}

/* The program of this build under `root` (made its real path), unpacked first if it is not
 * there: the locked folder's descriptor, with `program` its path; or -1, with the reason in
 * `why`. */
static int ready_folder(const struct packed *self, char *root, size_t root_size, char *program,
                        size_t program_size, char *why, size_t why_size) {
    /* The root first: what lies under one another user could write into is never run. */
    const char *unusable = usable_root(root, root_size);
    char folder[PATH_MAX];
    if (unusable) {
        snprintf(why, why_size, "%s: %s", root, unusable);
        return -1;
    }
    if (snprintf(folder, sizeof folder, "%s/%s%s", root, PREFIX, self->id) >=
            (int)sizeof folder ||
        snprintf(program, program_size, "%s/opstui", folder) >= (int)program_size) {
        snprintf(why, why_size, "%s: %s", root, strerror(ENAMETOOLONG));
        return -1;
    }
    /* Another run may be unpacking or removing the same folder at the same moment: each
     * round either finds it whole and locked, or unpacks it. */
    for (int round = 0; round < 8; round++) {
        int lock = locked_folder(folder, program);
        if (lock >= 0) return lock;
        lock = unpack_folder(self, root, folder, why, why_size);
        if (lock >= 0) {
            remove_superseded(root, folder);
            return lock;
        }
        if (lock == -1) return -1;
        /* A folder by that name is there: another run's, just renamed into place, or one
         * that is not whole (a file of it deleted by hand), which no run holds: removed. */
        if ((lock = locked_folder(folder, program)) >= 0) return lock;
        remove_unused(root, folder);
    }
    snprintf(why, why_size, "%s: other runs kept changing it", folder);
    return -1;
}

static int absolute(const char *path) { return path && path[0] == '/'; }

int main(int argc, char **argv) {
    char *no_arguments[] = {"opstui", NULL};
    if (argc < 1) argv = no_arguments;
    struct packed self;
    open_self(&self, argv[0]);

    /* Where it may unpack, in order; a path too long to hold is left out. */
    char roots[3][PATH_MAX];
    int count = 0;
    const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    const char *temporary = getenv("TMPDIR");
    if (absolute(cache) && snprintf(roots[count], PATH_MAX, "%s/opstui", cache) < PATH_MAX)
        count++;
    else if (!absolute(cache) && absolute(home) &&
             snprintf(roots[count], PATH_MAX, "%s/.cache/opstui", home) < PATH_MAX)
        count++;
    if (absolute(temporary) && snprintf(roots[count], PATH_MAX, "%s/opstui-%lu", temporary,
                                        (unsigned long)geteuid()) < PATH_MAX)
        count++;
    else
        snprintf(roots[count++], PATH_MAX, "/tmp/opstui-%lu", (unsigned long)geteuid());

    char first_reason[PATH_MAX * 2 + 64] = "";
    for (int index = 0; index < count; index++) {
        char program[PATH_MAX], why[PATH_MAX * 2 + 64];
        int lock = ready_folder(&self, roots[index], sizeof roots[index], program,
                                sizeof program, why, sizeof why);
        if (lock >= 0) {
            /* The program finds the rest of its folder beside its argv[0] when there is no
             * /proc. execv only returns when it cannot run there (a noexec mount): next root. */
            argv[0] = program;
            execv(program, argv);
            snprintf(why, sizeof why, "cannot run %s: %s", program, strerror(errno));
            close(lock);
        }
        if (!first_reason[0]) snprintf(first_reason, sizeof first_reason, "%s", why);
    }
    fail(1, "no folder to unpack into and run from: %s", first_reason);
}
