/* PDB reader (placeholder until the reader lands). */
#include "misi/mol.h"
int misi_parse_pdb(const char *text, size_t len, const char *path, misi_mol *mol, misi_error *err)
{ (void)text; (void)len; (void)mol; return misi_error_at(err, MISI_E_INVALID, path, 0, "PDB reader not built"); }
int misi_read_pdb(const char *path, misi_mol *mol, misi_error *err)
{ return misi_parse_pdb("", 0, path, mol, err); }
