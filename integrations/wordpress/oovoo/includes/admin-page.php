<?php
/**
 * Settings → oovoo: the page. The web token is never printed back, only whether one is set.
 *
 * @package oovoo
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Prints the settings page. */
function oovoo_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	$settings = oovoo_get_settings();
	$choices  = oovoo_setting_choices();
	$notice   = get_transient( 'oovoo_notice_' . get_current_user_id() );
	delete_transient( 'oovoo_notice_' . get_current_user_id() );
	?>
	<div class="wrap">
		<h1><?php esc_html_e( 'oovoo video and chat', 'oovoo' ); ?></h1>
		<?php if ( is_array( $notice ) ) : ?>
			<div class="notice notice-<?php echo esc_attr( 'success' === $notice['type'] ? 'success' : 'error' ); ?> oovoo-notice"><p><?php echo esc_html( $notice['message'] ); ?></p></div>
		<?php endif; ?>
		<p>
			<?php
			/* translators: %s: this site's host name. */
			echo esc_html( sprintf( __( 'Pages with [oovoo_conference] or [oovoo_chat] sign their logged-in readers in through your oovoo server. Permit this site on the app first: oovoo-server app domain add --app APP_ID --domain %s', 'oovoo' ), (string) wp_parse_url( home_url(), PHP_URL_HOST ) ) );
			?>
		</p>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" id="oovoo-settings">
			<input type="hidden" name="action" value="oovoo_save_settings" />
			<?php wp_nonce_field( 'oovoo_save_settings', 'oovoo_nonce' ); ?>
			<table class="form-table" role="presentation">
				<?php
				oovoo_text_row( 'server_url', __( 'Server URL', 'oovoo' ), $settings['server_url'], __( 'Where oovoo-server runs, e.g. https://video.example.com.', 'oovoo' ), 'url' );
				oovoo_text_row( 'app_id', __( 'App ID', 'oovoo' ), $settings['app_id'], __( 'As oovoo-server app create printed it.', 'oovoo' ) );
				?>
				<tr>
					<th scope="row"><label for="oovoo-web_token"><?php esc_html_e( 'Web token', 'oovoo' ); ?></label></th>
					<td>
						<input type="password" class="regular-text" id="oovoo-web_token" name="oovoo[web_token]" value="" autocomplete="off" />
						<p class="description">
							<?php
							/* translators: %s: "not set" or "set, ending in …abcd". */
							echo esc_html( sprintf( __( 'Now %s. Kept on this site’s server, never sent to a page; leave empty to keep it.', 'oovoo' ), oovoo_masked_token( $settings['web_token'] ) ) );
							?>
						</p>
						<label><input type="checkbox" name="oovoo[clear_web_token]" value="1" /> <?php esc_html_e( 'Remove the saved token', 'oovoo' ); ?></label>
					</td>
				</tr>
				<?php
				oovoo_select_row( 'id_mode', __( 'User id on the server', 'oovoo' ), $choices['id_mode'], $settings['id_mode'] );
				oovoo_select_row( 'hosts', __( 'Who may host', 'oovoo' ), $choices['hosts'], $settings['hosts'] );
				oovoo_check_row( 'allow_guests', __( 'Guests', 'oovoo' ), __( 'Visitors who are not logged in join with an id the site makes for them (otherwise they are asked to log in).', 'oovoo' ), $settings['allow_guests'] );
				oovoo_select_row( 'layout', __( 'Layout', 'oovoo' ), $choices['layout'], $settings['layout'] );
				oovoo_select_row( 'resolution', __( 'Resolution', 'oovoo' ), $choices['resolution'], $settings['resolution'] );
				oovoo_select_row( 'theme', __( 'Theme', 'oovoo' ), $choices['theme'], $settings['theme'] );
				oovoo_check_row( 'autojoin', __( 'Join at once', 'oovoo' ), __( 'Join the call when the page opens.', 'oovoo' ), $settings['autojoin'] );
				oovoo_check_row( 'prejoin', __( 'Check first', 'oovoo' ), __( 'Show a camera and microphone check before joining.', 'oovoo' ), $settings['prejoin'] );
				oovoo_text_row( 'script_url', __( 'Script URL (optional)', 'oovoo' ), $settings['script_url'], __( 'A copy of oovoo.min.js on a CDN; empty: the server’s own.', 'oovoo' ), 'url' );
				?>
			</table>
			<?php submit_button( __( 'Save settings', 'oovoo' ), 'primary', 'oovoo-save' ); ?>
		</form>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" id="oovoo-test">
			<input type="hidden" name="action" value="oovoo_test_connection" />
			<?php wp_nonce_field( 'oovoo_test_connection', 'oovoo_nonce' ); ?>
			<?php submit_button( __( 'Test connection', 'oovoo' ), 'secondary', 'oovoo-test-connection' ); ?>
		</form>
	</div>
	<?php
}

/**
 * A text field row.
 *
 * @param string $key         The setting.
 * @param string $label       Its label.
 * @param string $value       Its value.
 * @param string $description What it is.
 * @param string $type        The input's type.
 */
function oovoo_text_row( $key, $label, $value, $description, $type = 'text' ) {
	?>
	<tr>
		<th scope="row"><label for="oovoo-<?php echo esc_attr( $key ); ?>"><?php echo esc_html( $label ); ?></label></th>
		<td>
			<input type="<?php echo esc_attr( $type ); ?>" class="regular-text" id="oovoo-<?php echo esc_attr( $key ); ?>" name="oovoo[<?php echo esc_attr( $key ); ?>]" value="<?php echo esc_attr( $value ); ?>" />
			<p class="description"><?php echo esc_html( $description ); ?></p>
		</td>
	</tr>
	<?php
}

/**
 * A select row.
 *
 * @param string                $key     The setting.
 * @param string                $label   Its label.
 * @param array<string, string> $options Value => label.
 * @param string                $value   The chosen value.
 */
function oovoo_select_row( $key, $label, $options, $value ) {
	?>
	<tr>
		<th scope="row"><label for="oovoo-<?php echo esc_attr( $key ); ?>"><?php echo esc_html( $label ); ?></label></th>
		<td>
			<select id="oovoo-<?php echo esc_attr( $key ); ?>" name="oovoo[<?php echo esc_attr( $key ); ?>]">
				<?php foreach ( $options as $option => $text ) : ?>
					<option value="<?php echo esc_attr( $option ); ?>" <?php selected( $value, $option ); ?>><?php echo esc_html( $text ); ?></option>
				<?php endforeach; ?>
			</select>
		</td>
	</tr>
	<?php
}

/**
 * A checkbox row.
 *
 * @param string $key         The setting.
 * @param string $label       Its label.
 * @param string $description What checking it does.
 * @param bool   $checked     Whether it is on.
 */
function oovoo_check_row( $key, $label, $description, $checked ) {
	?>
	<tr>
		<th scope="row"><?php echo esc_html( $label ); ?></th>
		<td>
			<label><input type="checkbox" id="oovoo-<?php echo esc_attr( $key ); ?>" name="oovoo[<?php echo esc_attr( $key ); ?>]" value="1" <?php checked( $checked ); ?> /> <?php echo esc_html( $description ); ?></label>
		</td>
	</tr>
	<?php
}
