print!undefined_name)
