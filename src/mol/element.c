/* The element table: symbols, covalent radii (Cordero et al., Dalton Trans.
 * 2008, low-spin where two are given) and van der Waals radii (Bondi 1964,
 * Alvarez 2013 where Bondi gives none). Colours live in src/gfx. */
#include "misi/mol.h"

#include <ctype.h>
#include <string.h>

typedef struct element_info {
    const char *sym;
    float cov;
    float vdw;
    bool metal;
} element_info;

static const element_info TABLE[] = {
    [0] = {"X", 0.77f, 1.70f, false},
    [1] = {"H", 0.31f, 1.20f, false},   [2] = {"He", 0.28f, 1.40f, false},
    [3] = {"Li", 1.28f, 1.82f, true},   [4] = {"Be", 0.96f, 1.53f, true},
    [5] = {"B", 0.84f, 1.92f, false},   [6] = {"C", 0.76f, 1.70f, false},
    [7] = {"N", 0.71f, 1.55f, false},   [8] = {"O", 0.66f, 1.52f, false},
    [9] = {"F", 0.57f, 1.47f, false},   [10] = {"Ne", 0.58f, 1.54f, false},
    [11] = {"Na", 1.66f, 2.27f, true},  [12] = {"Mg", 1.41f, 1.73f, true},
    [13] = {"Al", 1.21f, 1.84f, true},  [14] = {"Si", 1.11f, 2.10f, false},
    [15] = {"P", 1.07f, 1.80f, false},  [16] = {"S", 1.05f, 1.80f, false},
    [17] = {"Cl", 1.02f, 1.75f, false}, [18] = {"Ar", 1.06f, 1.88f, false},
    [19] = {"K", 2.03f, 2.75f, true},   [20] = {"Ca", 1.76f, 2.31f, true},
    [21] = {"Sc", 1.70f, 2.15f, true},  [22] = {"Ti", 1.60f, 2.11f, true},
    [23] = {"V", 1.53f, 2.07f, true},   [24] = {"Cr", 1.39f, 2.06f, true},
    [25] = {"Mn", 1.39f, 2.05f, true},  [26] = {"Fe", 1.32f, 2.04f, true},
    [27] = {"Co", 1.26f, 2.00f, true},  [28] = {"Ni", 1.24f, 1.63f, true},
    [29] = {"Cu", 1.32f, 1.40f, true},  [30] = {"Zn", 1.22f, 1.39f, true},
    [31] = {"Ga", 1.22f, 1.87f, true},  [32] = {"Ge", 1.20f, 2.11f, false},
    [33] = {"As", 1.19f, 1.85f, false}, [34] = {"Se", 1.20f, 1.90f, false},
    [35] = {"Br", 1.20f, 1.85f, false}, [36] = {"Kr", 1.16f, 2.02f, false},
    [37] = {"Rb", 2.20f, 3.03f, true},  [38] = {"Sr", 1.95f, 2.49f, true},
    [39] = {"Y", 1.90f, 2.32f, true},   [40] = {"Zr", 1.75f, 2.23f, true},
    [41] = {"Nb", 1.64f, 2.18f, true},  [42] = {"Mo", 1.54f, 2.17f, true},
    [43] = {"Tc", 1.47f, 2.16f, true},  [44] = {"Ru", 1.46f, 2.13f, true},
    [45] = {"Rh", 1.42f, 2.10f, true},  [46] = {"Pd", 1.39f, 1.63f, true},
    [47] = {"Ag", 1.45f, 1.72f, true},  [48] = {"Cd", 1.44f, 1.58f, true},
    [49] = {"In", 1.42f, 1.93f, true},  [50] = {"Sn", 1.39f, 2.17f, true},
    [51] = {"Sb", 1.39f, 2.06f, false}, [52] = {"Te", 1.38f, 2.06f, false},
    [53] = {"I", 1.39f, 1.98f, false},  [54] = {"Xe", 1.40f, 2.16f, false},
    [55] = {"Cs", 2.44f, 3.43f, true},  [56] = {"Ba", 2.15f, 2.68f, true},
    [57] = {"La", 2.07f, 2.43f, true},  [58] = {"Ce", 2.04f, 2.42f, true},
    [59] = {"Pr", 2.03f, 2.40f, true},  [60] = {"Nd", 2.01f, 2.39f, true},
    [61] = {"Pm", 1.99f, 2.38f, true},  [62] = {"Sm", 1.98f, 2.36f, true},
    [63] = {"Eu", 1.98f, 2.35f, true},  [64] = {"Gd", 1.96f, 2.34f, true},
    [65] = {"Tb", 1.94f, 2.33f, true},  [66] = {"Dy", 1.92f, 2.31f, true},
    [67] = {"Ho", 1.92f, 2.30f, true},  [68] = {"Er", 1.89f, 2.29f, true},
    [69] = {"Tm", 1.90f, 2.27f, true},  [70] = {"Yb", 1.87f, 2.26f, true},
    [71] = {"Lu", 1.87f, 2.24f, true},  [72] = {"Hf", 1.75f, 2.23f, true},
    [73] = {"Ta", 1.70f, 2.22f, true},  [74] = {"W", 1.62f, 2.18f, true},
    [75] = {"Re", 1.51f, 2.16f, true},  [76] = {"Os", 1.44f, 2.16f, true},
    [77] = {"Ir", 1.41f, 2.13f, true},  [78] = {"Pt", 1.36f, 1.75f, true},
    [79] = {"Au", 1.36f, 1.66f, true},  [80] = {"Hg", 1.32f, 1.55f, true},
    [81] = {"Tl", 1.45f, 1.96f, true},  [82] = {"Pb", 1.46f, 2.02f, true},
    [83] = {"Bi", 1.48f, 2.07f, true},  [84] = {"Po", 1.40f, 1.97f, true},
    [85] = {"At", 1.50f, 2.02f, false}, [86] = {"Rn", 1.50f, 2.20f, false},
};

#define NELEM (sizeof TABLE / sizeof TABLE[0])

uint8_t misi_element_from_symbol(const char *sym)
{
    char s[3] = {0};
    size_t n = 0;
    while (*sym == ' ')
        sym++;
    while (sym[n] && sym[n] != ' ' && n < 3)
        n++;
    if (n == 0 || n > 2)
        return 0;
    s[0] = (char)toupper((unsigned char)sym[0]);
    if (n == 2)
        s[1] = (char)tolower((unsigned char)sym[1]);
    if (!isalpha((unsigned char)s[0]) || (n == 2 && !isalpha((unsigned char)s[1])))
        return 0;
    /* Deuterium and tritium are hydrogen for every purpose here. */
    if ((s[0] == 'D' || s[0] == 'T') && s[1] == 0)
        return 1;
    for (size_t z = 1; z < NELEM; z++) {
        if (strcmp(TABLE[z].sym, s) == 0)
            return (uint8_t)z;
    }
    return 0;
}

const char *misi_element_symbol(uint8_t z)
{
    return z < NELEM ? TABLE[z].sym : "X";
}

float misi_element_covalent_radius(uint8_t z)
{
    return z < NELEM ? TABLE[z].cov : TABLE[0].cov;
}

float misi_element_vdw_radius(uint8_t z)
{
    return z < NELEM ? TABLE[z].vdw : TABLE[0].vdw;
}

bool misi_element_is_metal(uint8_t z)
{
    return z < NELEM && TABLE[z].metal;
}
