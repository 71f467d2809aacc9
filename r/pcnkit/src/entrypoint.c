// R finds the package's routines through R_init_pcnkit; the Rust library registers them
// (extendr_module! in crates/pcnkit-r). Calling it from here also keeps the linker from
// dropping the static library.
void R_init_pcnkit_extendr(void *dll);

void R_init_pcnkit(void *dll) {
    R_init_pcnkit_extendr(dll);
}
