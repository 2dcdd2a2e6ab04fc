/* model.c — the registry of models by name. */
#include <string.h>

#include "model.h"

static const model_def *const models[] = {&model_reassurance, &model_mm1, &model_lanchester,
                                          &model_ishigami};

const char *const model_names[] = {"reassurance", "mm1", "lanchester", "ishigami", NULL};

const model_def *model_find(const char *name)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (strcmp(models[i]->name, name) == 0)
            return models[i];
    return NULL;
}
