/* build_info.h — what build this is: the version (the file VERSION), the
 * commit it was built from (git describe at build time; "unknown" when built
 * from a tarball) and whether the tree had uncommitted changes. `--version`
 * prints them and every result file records them (root attributes
 * reassure_version, commit, tree_modified).
 *
 * Thread-safety: constant strings.
 */
#ifndef REASSURE_BUILD_INFO_H
#define REASSURE_BUILD_INFO_H

const char *reassure_version(void);
const char *reassure_commit(void);
/* 1 when the tree had uncommitted changes, 0 when clean, -1 unknown. */
int reassure_tree_modified(void);

#endif
