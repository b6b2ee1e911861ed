/* Bond perception (placeholder until it lands). */
#include "misi/mol.h"
int misi_perceive_bonds(misi_mol *mol, misi_error *err)
{ (void)mol; (void)err; return MISI_OK; }
