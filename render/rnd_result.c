/* rnd_result.c: names of the render module's result codes. */
#include "rnd.h"

static const char *const rnd__names[] = {
#define RND__NAME(name, msg) "RND_" #name,
    RND_RESULT_MAP(RND__NAME)
#undef RND__NAME
};

const char *rnd_result_name(rnd_result r)
{
    return ((int)r >= 0 && r < RND_RESULT_COUNT) ? rnd__names[r] : "RND_UNKNOWN";
}
