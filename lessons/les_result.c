/* les_result.c: names and messages of the lessons module's result codes. */
#include "les_lesson.h"

static const char *const les__names[] = {
#define LES__NAME(name, msg) "LES_" #name,
    LES_RESULT_MAP(LES__NAME)
#undef LES__NAME
};

static const char *const les__messages[] = {
#define LES__MSG(name, msg) msg,
    LES_RESULT_MAP(LES__MSG)
#undef LES__MSG
};

const char *les_result_name(les_result r)
{
    return ((int)r >= 0 && r < LES_RESULT_COUNT) ? les__names[r] : "LES_UNKNOWN";
}

const char *les_result_message(les_result r)
{
    return ((int)r >= 0 && r < LES_RESULT_COUNT) ? les__messages[r] : "unknown result";
}
