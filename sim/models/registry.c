/* registry.c — the one list of models, by name.
 *
 * Adding a model: define `const model_def model_<name>` (with .name =
 * "<name>") in its own file or folder under sim/models/, and add one line
 * X(<name>) below. The first is the default model (a scenario without
 * `model = ...`). Nothing outside sim/models/ names a model.
 */
#include <string.h>

#include "model.h"

#define MODELS(X) \
    X(reassurance) \
    X(mm1) \
    X(lanchester) \
    X(ishigami) \
    X(crossover)

#define DECLARE(name) extern const model_def model_##name;
#define ADDRESS(name) &model_##name,
#define NAME(name) #name,

MODELS(DECLARE)

static const model_def *const models[] = {MODELS(ADDRESS)};

const char *const model_names[] = {MODELS(NAME) NULL};

const model_def *model_find(const char *name)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (strcmp(models[i]->name, name) == 0)
            return models[i];
    return NULL;
}

int model_headline(const model_def *m)
{
    for (int r = 0; m->headline != NULL && r < m->n_summaries; r++)
        if (strcmp(m->summaries[r].name, m->headline) == 0)
            return r;
    return 0;
}
