/* Complex loading (placeholder until it lands). */
#include "misi/mol.h"
int misi_complex_load_dir(const char *dir, const misi_load_config *cfg, misi_complex *cx, misi_error *err)
{ (void)cfg; (void)cx; return misi_error_at(err, MISI_E_INVALID, dir, 0, "loader not built"); }
int misi_complex_load_pair(const char *pocket, const char *ligand, const char *id,
                           const misi_load_config *cfg, misi_complex *cx, misi_error *err)
{ (void)ligand; (void)id; (void)cfg; (void)cx; return misi_error_at(err, MISI_E_INVALID, pocket, 0, "loader not built"); }
int misi_sources_add_path(misi_source_list *list, const char *path, misi_error *err)
{ (void)list; return misi_error_at(err, MISI_E_INVALID, path, 0, "loader not built"); }
int misi_sources_add_pair(misi_source_list *list, const char *pocket, const char *ligand, misi_error *err)
{ (void)list; (void)ligand; return misi_error_at(err, MISI_E_INVALID, pocket, 0, "loader not built"); }
void misi_sources_finish(misi_source_list *list) { (void)list; }
