/* build_info.c — the version, commit and tree state of this build, from
 * the header the Makefile writes at build time (build/gen/build_version.h,
 * rewritten only when its content changes, so only this file recompiles
 * when the commit changes). */
#include "build_info.h"

#include "build_version.h"

const char *reassure_version(void)
{
    return REASSURE_VERSION;
}

const char *reassure_commit(void)
{
    return REASSURE_COMMIT;
}

int reassure_tree_modified(void)
{
    return REASSURE_TREE_MODIFIED;
}
