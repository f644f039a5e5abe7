//! Rebuilds the binary when the web client's build output changes (it is embedded).
fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
}
