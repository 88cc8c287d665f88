/* The integer helpers where RISC-V and C disagree. */
#include "core/alu.h"
#include "unit.h"

int main(void)
{
    CHECK_EQ(sext32(0x80000000u), 0xffffffff80000000ull);
    CHECK_EQ(sext32(0x17fffffffull), 0x7fffffff);
    CHECK_EQ(div64(7, 0), -1);
    CHECK_EQ(rem64(7, 0), 7);
    CHECK_EQ(div64(INT64_MIN, -1), INT64_MIN);
    CHECK_EQ(rem64(INT64_MIN, -1), 0);
    CHECK_EQ(div64(-7, 2), -3);
    CHECK_EQ(rem64(-7, 2), -1);
    CHECK_EQ(divu64(7, 0), ~0ull);
    CHECK_EQ(remu64(7, 0), 7);
    CHECK_EQ(div32(INT32_MIN, -1), INT32_MIN);
    CHECK_EQ(rem32(INT32_MIN, -1), 0);
    CHECK_EQ(div32(5, 0), -1);
    CHECK_EQ(rem32(-5, 0), -5);
    CHECK_EQ(divu32(5, 0), 0xffffffffu);
    CHECK_EQ(remu32(5, 0), 5);
    CHECK_EQ(mulhu64(~0ull, ~0ull), 0xfffffffffffffffeull);
    CHECK_EQ(mulh64(-1, -1), 0);
    CHECK_EQ(mulh64(INT64_MIN, INT64_MIN), 0x4000000000000000ull);
    CHECK_EQ(mulh64(INT64_MIN, 2), -1);
    CHECK_EQ(mulhsu64(-1, ~0ull), -1);          /* -1 * (2^64-1) = -2^64 + 1 */
    CHECK_EQ(mulhsu64(-2, 3), -1);
    CHECK_EQ(mulhsu64(2, ~0ull), 1);
    return unit_report("alu");
}
