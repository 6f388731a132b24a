/* test_expr.c: the expression language of rule files: parsing, precedence, errors, evaluation. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "unit.h"

/* Names: a (slot 0), b (slot 1). */
static int names(void *ctx, const char *name, size_t len, int *slot)
{
    (void)ctx;
    if (len == 1 && (name[0] == 'a' || name[0] == 'b')) {
        *slot = name[0] - 'a';
        return 0;
    }
    return -1;
}

static double ev(const char *text, int have_b)
{
    char msg[128];
    size_t pos;
    expr *e = expr_parse(text, 0, names, NULL, &pos, msg, sizeof msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    double vals[MAX_SLOTS] = {6, 4};
    unsigned char have[MAX_SLOTS] = {1, (unsigned char)have_b};
    double out = 0;
    int ok = expr_eval(e, vals, have, NULL, &out);
    expr_free(e);
    return ok ? out : NAN;
}

static void test_expr_precedence_and_functions(void)
{
    CU_ASSERT_DOUBLE_EQUAL(ev("a + b * 2", 1), 14, 0);
    CU_ASSERT_DOUBLE_EQUAL(ev("(a + b) * 2", 1), 20, 0);
    CU_ASSERT_DOUBLE_EQUAL(ev("a - b - 1", 1), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(ev("a / b", 1), 1.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(ev("-a + 10", 1), 4, 0);
    CU_ASSERT_DOUBLE_EQUAL(ev("max(a, b, 5)", 1), 6, 0);
    CU_ASSERT_DOUBLE_EQUAL(ev("min(a, b) * 1e3", 1), 4000, 0);
}

static void test_expr_unknown_operand_or_division_by_zero_is_unknown(void)
{
    CU_ASSERT_TRUE(isnan(ev("a + b", 0)));
    CU_ASSERT_TRUE(isnan(ev("a / (b - 4)", 1)));
    CU_ASSERT_TRUE(isnan(ev("max(a, b)", 0)));
}

static void parse_error(const char *text, size_t want_pos, const char *want_msg)
{
    char msg[128] = "";
    size_t pos = 999;
    expr *e = expr_parse(text, 0, names, NULL, &pos, msg, sizeof msg);
    CU_ASSERT_PTR_NULL(e);
    CU_ASSERT_EQUAL(pos, want_pos);
    CU_ASSERT_STRING_EQUAL(msg, want_msg);
    expr_free(e);
}

static void test_expr_errors_give_offset_and_reason(void)
{
    parse_error("a +", 3, "unexpected end of expression");
    parse_error("a + c", 4, "unknown metric 'c'");
    parse_error("(a + b", 6, "expected ')'");
    parse_error("a b", 2, "unexpected text after the expression");
    parse_error("sqrt(a)", 0, "unknown function (only min and max exist)");
    parse_error("max(a)", 0, "min and max take two or more arguments");
    parse_error("1.2.3", 3, "unexpected text after the expression");
    parse_error("4800x", 0, "malformed number");
    parse_error("a $ b", 2, "unexpected text after the expression");
}

static void test_expr_deep_nesting_is_refused(void)
{
    char text[400];
    memset(text, '(', 200);
    strcpy(text + 200, "a");
    memset(text + 201, ')', 150);
    text[351] = '\0';
    char msg[128] = "";
    size_t pos;
    expr *e = expr_parse(text, 0, names, NULL, &pos, msg, sizeof msg);
    CU_ASSERT_PTR_NULL(e);
    CU_ASSERT_STRING_EQUAL(msg, "expression nested too deeply");
}

int register_expr_suite(void)
{
    CU_pSuite s = CU_add_suite("expr", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_expr_precedence_and_functions);
    ADD_TEST(s, test_expr_unknown_operand_or_division_by_zero_is_unknown);
    ADD_TEST(s, test_expr_errors_give_offset_and_reason);
    ADD_TEST(s, test_expr_deep_nesting_is_refused);
    return 0;
}
