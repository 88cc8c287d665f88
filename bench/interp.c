/* A byte-code interpreter: a small stack machine dispatched by a switch,
 * running a program that counts and sums the primes below a limit by trial
 * division.  Exercises the indirect jump of the dispatch, and the loads and
 * stores of an operand stack.  The count is checked against a sieve
 * computed natively.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define LIMIT 100000

enum op {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_MOD,
    OP_LT, OP_GT, OP_EQ, OP_JMP, OP_JZ, OP_JNZ, OP_DUP, OP_POP,
};

/* ---- The machine ------------------------------------------------------ */

#define STACK_MAX 64
#define NVARS     8

static int64_t run(const int64_t *code, int64_t *vars)
{
    int64_t stack[STACK_MAX];
    int64_t *sp = stack;            /* points past the top */
    long pc = 0;
    int64_t steps = 0;
    for (;;) {
        steps++;
        switch ((enum op)code[pc++]) {
        case OP_HALT:  return steps;
        case OP_PUSH:  *sp++ = code[pc++]; break;
        case OP_LOAD:  *sp++ = vars[code[pc++]]; break;
        case OP_STORE: vars[code[pc++]] = *--sp; break;
        case OP_ADD:   sp--; sp[-1] += sp[0]; break;
        case OP_SUB:   sp--; sp[-1] -= sp[0]; break;
        case OP_MUL:   sp--; sp[-1] *= sp[0]; break;
        case OP_MOD:   sp--; sp[-1] %= sp[0]; break;
        case OP_LT:    sp--; sp[-1] = sp[-1] < sp[0]; break;
        case OP_GT:    sp--; sp[-1] = sp[-1] > sp[0]; break;
        case OP_EQ:    sp--; sp[-1] = sp[-1] == sp[0]; break;
        case OP_JMP:   pc = code[pc]; break;
        case OP_JZ:    pc = *--sp == 0 ? code[pc] : pc + 1; break;
        case OP_JNZ:   pc = *--sp != 0 ? code[pc] : pc + 1; break;
        case OP_DUP:   sp[0] = sp[-1]; sp++; break;
        case OP_POP:   sp--; break;
        default:       return -1;   /* bad opcode: a broken program */
        }
    }
}

/* ---- A tiny assembler with forward labels ----------------------------- */

#define CODE_MAX   256
#define LABELS_MAX 16

static int64_t code[CODE_MAX];
static long code_len;
static long label_at[LABELS_MAX];
static long fixup_at[CODE_MAX], fixup_label[CODE_MAX], nfixups;

static void emit(enum op op) { code[code_len++] = op; }
static void emit1(enum op op, int64_t arg) { emit(op); code[code_len++] = arg; }
static void emit_jump(enum op op, int label)
{
    emit(op);
    fixup_at[nfixups] = code_len;
    fixup_label[nfixups++] = label;
    code[code_len++] = 0;
}
static void place(int label) { label_at[label] = code_len; }
static void resolve_labels(void)
{
    for (long i = 0; i < nfixups; i++)
        code[fixup_at[i]] = label_at[fixup_label[i]];
}

enum { V_N, V_D, V_PRIME, V_COUNT, V_SUM, V_LIMIT };
enum { L_N, L_D, L_NOT_DIVISOR, L_END_D, L_NEXT_N, L_DONE };

/* count, sum = 0; for n in 2..limit-1: if no d with d*d <= n divides n,
 * count++ and sum += n. */
static void assemble_primes(void)
{
    emit1(OP_PUSH, 2);        emit1(OP_STORE, V_N);
    place(L_N);
    emit1(OP_LOAD, V_N);      emit1(OP_LOAD, V_LIMIT);  emit(OP_LT);
    emit_jump(OP_JZ, L_DONE);
    emit1(OP_PUSH, 2);        emit1(OP_STORE, V_D);
    emit1(OP_PUSH, 1);        emit1(OP_STORE, V_PRIME);
    place(L_D);
    emit1(OP_LOAD, V_D);      emit(OP_DUP);             emit(OP_MUL);
    emit1(OP_LOAD, V_N);      emit(OP_GT);
    emit_jump(OP_JNZ, L_END_D);
    emit1(OP_LOAD, V_N);      emit1(OP_LOAD, V_D);      emit(OP_MOD);
    emit_jump(OP_JNZ, L_NOT_DIVISOR);
    emit1(OP_PUSH, 0);        emit1(OP_STORE, V_PRIME);
    emit_jump(OP_JMP, L_END_D);
    place(L_NOT_DIVISOR);
    emit1(OP_LOAD, V_D);      emit1(OP_PUSH, 1);        emit(OP_ADD);
    emit1(OP_STORE, V_D);
    emit_jump(OP_JMP, L_D);
    place(L_END_D);
    emit1(OP_LOAD, V_PRIME);
    emit_jump(OP_JZ, L_NEXT_N);
    emit1(OP_LOAD, V_COUNT);  emit1(OP_PUSH, 1);        emit(OP_ADD);
    emit1(OP_STORE, V_COUNT);
    emit1(OP_LOAD, V_SUM);    emit1(OP_LOAD, V_N);      emit(OP_ADD);
    emit1(OP_STORE, V_SUM);
    place(L_NEXT_N);
    emit1(OP_LOAD, V_N);      emit1(OP_PUSH, 1);        emit(OP_ADD);
    emit1(OP_STORE, V_N);
    emit_jump(OP_JMP, L_N);
    place(L_DONE);
    emit(OP_HALT);
    resolve_labels();
}

/* The same answer computed natively, to check the interpreter. */
static void sieve(long limit, long *count, int64_t *sum)
{
    static uint8_t composite[LIMIT];
    memset(composite, 0, sizeof composite);
    *count = 0;
    *sum = 0;
    for (long n = 2; n < limit; n++) {
        if (composite[n])
            continue;
        (*count)++;
        *sum += n;
        for (long m = n * n; m < limit; m += n)
            composite[m] = 1;
    }
}

int main(void)
{
    assemble_primes();
    int64_t vars[NVARS] = {0};
    vars[V_LIMIT] = LIMIT;
    int64_t steps = run(code, vars);

    long want_count;
    int64_t want_sum;
    sieve(LIMIT, &want_count, &want_sum);
    if (steps < 0 || vars[V_COUNT] != want_count || vars[V_SUM] != want_sum) {
        printf("interp: wrong result: %lld primes, sum %lld (want %ld, %lld)\n",
               (long long)vars[V_COUNT], (long long)vars[V_SUM], want_count,
               (long long)want_sum);
        return 1;
    }
    printf("interp: %lld byte-code steps, %lld primes below %d, sum %lld\n",
           (long long)steps, (long long)vars[V_COUNT], LIMIT,
           (long long)vars[V_SUM]);
    return 0;
}
